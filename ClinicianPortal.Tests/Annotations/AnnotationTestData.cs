using System.Security.Claims;
using ClinicianPortal.Annotations;
using ClinicianPortal.Audit;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Identity;

namespace ClinicianPortal.Tests.Annotations;

/// <summary>A real database with audited outputs to annotate, the store and service over it, and signed-in users.</summary>
internal sealed class AnnotationTestData(TestDatabase db, ManualClock clock)
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    public AnnotationStore Store { get; } = new(db.Dialect, db.Store);
    public AuditStore Audit { get; } = new(db.Dialect, db.Store, clock);
    public AnnotationService Service => new(Store, Audit, clock);
    public ManualClock Clock => clock;

    public static AnnotationTestData For(TestDatabase db) => new(db, new ManualClock(Start));

    /// <summary>An audited AI output about <paramref name="patientId"/>; returns its audit record id.</summary>
    public async Task<long> OutputAsync(string patientId) =>
        (await Audit.AppendAsync(AuditEntry.For("physician", patientId, AuditKind.CaseReview, new ModelStamp("differential", "1", new string('a', 64)),
            new { patientId }, new { differential = new[] { "sepsis" } }))).Id;

    public static ClaimsPrincipal User(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test", ClaimTypes.Name, ClaimTypes.Role));
}
