using ClinicianPortal.Audit;
using ClinicianPortal.CaseReview;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Reasoning.Orchestration;

namespace ClinicianPortal.Tests.Validation;

/// <summary>Audit records of real case reviews (the real extractor and model), stamped with the model versions a test needs.</summary>
internal static class AuditedReviews
{
    public static readonly string Sample = Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal", "SampleData", "patient-0010-pulmonary-embolism.json");

    public static ModelStamp Model(string version) => new("differential", version, new string(version[0], 64));

    public static async Task<CaseReviewResult> ReviewAsync(CaseReviewFixture fixture) =>
        fixture.Reviewer.Review(Assert.Single(await CaseReviewFixture.ReadRecordsAsync(Sample)));

    /// <summary>Appends one case-review record per model stamp, as reviews shown to a physician are recorded (a shadow model gets its own stamp).</summary>
    public static async Task<List<AuditRecord>> AppendAsync(AuditStore audit, CaseReviewResult review, params ModelStamp[] models)
    {
        var records = new List<AuditRecord>();
        foreach (var model in models)
            records.Add(await audit.AppendAsync(AuditedCaseReview.EntryFor(review, "dr-requester") with { Model = model }));
        return records;
    }
}
