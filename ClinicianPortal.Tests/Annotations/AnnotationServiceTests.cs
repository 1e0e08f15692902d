using ClinicianPortal.Annotations;
using ClinicianPortal.Identity;
using ClinicianPortal.Shared.Governance.Annotations;
using ClinicianPortal.Tests.Data;

namespace ClinicianPortal.Tests.Annotations;

/// <summary>The rules of annotating, over a real SQLite database and audit trail.</summary>
public sealed class AnnotationServiceTests : IAsyncLifetime
{
    private static readonly System.Security.Claims.ClaimsPrincipal Physician = AnnotationTestData.User("dr-a", Roles.Physician);
    private static readonly System.Security.Claims.ClaimsPrincipal OtherPhysician = AnnotationTestData.User("dr-c", Roles.Physician);
    private static readonly System.Security.Claims.ClaimsPrincipal Nurse = AnnotationTestData.User("nurse-b", Roles.CareTeam);
    private static readonly System.Security.Claims.ClaimsPrincipal OtherNurse = AnnotationTestData.User("nurse-d", Roles.CareTeam);

    private TestDatabase db = default!;
    private AnnotationTestData data = default!;
    private long output;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync("sqlite");
        data = AnnotationTestData.For(db);
        output = await data.OutputAsync("patient-7");
    }

    public async Task DisposeAsync() => await db.DisposeAsync();

    private ThreadRequest Request(AnnotationVerdict? verdict = AnnotationVerdict.Unsafe, string? comment = "Anticoagulation with a recent GI bleed.",
        string target = "differential/pulmonary-embolism", string? correction = null, long? outputId = null) =>
        new(outputId ?? output, target, "Pulmonary embolism (34%, rank 1)", verdict, comment, correction);

    [Fact]
    public async Task A_thread_takes_the_patient_from_the_audited_output_and_the_author_from_the_signed_in_user()
    {
        data.Clock.Advance(TimeSpan.FromMinutes(3));
        var thread = await data.Service.StartThreadAsync(Nurse, Request(comment: "  Anticoagulation with a recent GI bleed.  "));

        Assert.Equal(("patient-7", "nurse-b", Roles.CareTeam, AnnotationSource.Portal), (thread.PatientId, thread.Author, thread.AuthorRole, thread.Source));
        Assert.Equal(("Anticoagulation with a recent GI bleed.", AnnotationTestData.Start.AddMinutes(3)), (thread.Comment, thread.CreatedAt));
        Assert.Equal(thread, await data.Store.GetAsync(thread.Id));
    }

    [Fact]
    public async Task A_thread_needs_a_verdict()
    {
        var e = await Assert.ThrowsAsync<AnnotationException>(() => data.Service.StartThreadAsync(Physician, Request(verdict: null)));
        Assert.Contains("verdict", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.CountAsync("annotations"));
    }

    [Theory]
    [InlineData(AnnotationVerdict.Disagree)]
    [InlineData(AnnotationVerdict.Missing)]
    [InlineData(AnnotationVerdict.Unsafe)]
    public async Task A_flag_that_asks_for_follow_up_needs_a_comment_or_a_correction(AnnotationVerdict verdict)
    {
        var e = await Assert.ThrowsAsync<AnnotationException>(() => data.Service.StartThreadAsync(Physician, Request(verdict, comment: "   ")));
        Assert.Contains(AnnotationVerdicts.Name(verdict), e.Message, StringComparison.Ordinal);
        var corrected = await data.Service.StartThreadAsync(Physician, Request(verdict, comment: null, correction: "Aortic dissection"));
        Assert.Equal(("", "Aortic dissection"), (corrected.Comment, corrected.Correction));
    }

    [Fact]
    public async Task Agreeing_needs_no_comment()
    {
        var thread = await data.Service.StartThreadAsync(Physician, Request(AnnotationVerdict.Agree, comment: null));
        Assert.Equal(("", (string?)null), (thread.Comment, thread.Correction));
    }

    [Fact]
    public async Task Comments_and_corrections_over_the_limit_are_refused_and_the_message_repeats_none_of_the_text()
    {
        var text = "Patient Jane Roe " + new string('x', AnnotationService.MaxCommentLength);
        var e = await Assert.ThrowsAsync<AnnotationException>(() => data.Service.StartThreadAsync(Physician, Request(comment: text)));
        Assert.Contains(AnnotationService.MaxCommentLength.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Jane", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AnnotationException>(() => data.Service.StartThreadAsync(Physician,
            Request(correction: new string('y', AnnotationService.MaxCorrectionLength + 1))));
        Assert.Equal(0, await db.CountAsync("annotations"));
    }

    [Fact]
    public async Task A_target_that_is_not_a_documented_key_or_an_output_that_is_not_audited_is_refused()
    {
        var badTarget = await Assert.ThrowsAsync<AnnotationException>(() => data.Service.StartThreadAsync(Physician, Request(target: "differential/../x")));
        Assert.Contains("target key", badTarget.Message, StringComparison.Ordinal);
        var noOutput = await Assert.ThrowsAsync<AnnotationException>(() => data.Service.StartThreadAsync(Physician, Request(outputId: output + 100)));
        Assert.Contains("audit trail", noOutput.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.CountAsync("annotations"));
    }

    [Theory]
    [InlineData(Roles.Validator)]
    [InlineData(Roles.Admin)]
    public async Task Validators_and_admins_cannot_annotate_reply_or_resolve(string role)
    {
        var user = AnnotationTestData.User("someone", role);
        var thread = await data.Service.StartThreadAsync(Physician, Request());

        Assert.False(AnnotationService.CanAnnotate(user));
        await Assert.ThrowsAsync<AnnotationForbiddenException>(() => data.Service.StartThreadAsync(user, Request()));
        await Assert.ThrowsAsync<AnnotationForbiddenException>(() => data.Service.ReplyAsync(user, thread.Id, output, "hello"));
        await Assert.ThrowsAsync<AnnotationForbiddenException>(() => data.Service.ResolveAsync(user, thread.Id));
        Assert.Equal(1, await db.CountAsync("annotations"));
    }

    [Fact]
    public async Task Signed_out_users_cannot_annotate()
    {
        var anonymous = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        await Assert.ThrowsAsync<AnnotationForbiddenException>(() => data.Service.StartThreadAsync(anonymous, Request()));
    }

    [Fact]
    public async Task A_care_team_reply_joins_the_physicians_thread_on_the_same_output()
    {
        var thread = await data.Service.StartThreadAsync(Physician, Request());
        var reply = await data.Service.ReplyAsync(Nurse, thread.Id, output, "Pharmacy agrees: hold the anticoagulant.");

        Assert.Equal((thread.Id, thread.AuditRecordId, thread.Target, thread.PatientId), (reply.ParentId!.Value, reply.AuditRecordId, reply.Target, reply.PatientId));
        Assert.Equal(("nurse-b", Roles.CareTeam, (AnnotationVerdict?)null), (reply.Author, reply.AuthorRole, reply.Verdict));
    }

    [Fact]
    public async Task A_reply_must_point_at_an_existing_thread_of_the_same_output_and_say_something()
    {
        var thread = await data.Service.StartThreadAsync(Physician, Request());
        var otherOutput = await data.OutputAsync("patient-7");
        var reply = await data.Service.ReplyAsync(Nurse, thread.Id, output, "ok");

        Assert.Contains("same output", (await Assert.ThrowsAsync<AnnotationException>(() => data.Service.ReplyAsync(Nurse, thread.Id, otherOutput, "hi"))).Message, StringComparison.Ordinal);
        Assert.Contains("no annotation thread", (await Assert.ThrowsAsync<AnnotationException>(() => data.Service.ReplyAsync(Nurse, 999, output, "hi"))).Message, StringComparison.Ordinal);
        Assert.Contains($"thread #{thread.Id}", (await Assert.ThrowsAsync<AnnotationException>(() => data.Service.ReplyAsync(Nurse, reply.Id, output, "hi"))).Message, StringComparison.Ordinal);
        Assert.Contains("needs a comment", (await Assert.ThrowsAsync<AnnotationException>(() => data.Service.ReplyAsync(Nurse, thread.Id, output, " "))).Message, StringComparison.Ordinal);
        Assert.Equal(2, await db.CountAsync("annotations"));
    }

    [Fact]
    public async Task Physicians_resolve_any_thread_the_care_team_only_their_own_and_reopening_brings_it_back()
    {
        var byPhysician = await data.Service.StartThreadAsync(Physician, Request());
        var byNurse = await data.Service.StartThreadAsync(Nurse, Request(AnnotationVerdict.Missing, target: "differential"));

        await Assert.ThrowsAsync<AnnotationForbiddenException>(() => data.Service.ResolveAsync(Nurse, byPhysician.Id));
        await Assert.ThrowsAsync<AnnotationForbiddenException>(() => data.Service.ResolveAsync(OtherNurse, byNurse.Id));
        var ownResolved = await data.Service.ResolveAsync(Nurse, byNurse.Id);
        Assert.Equal((AnnotationStatus.Resolved, "nurse-b"), (ownResolved.Status, ownResolved.ResolvedBy));

        data.Clock.Advance(TimeSpan.FromHours(2));
        var resolved = await data.Service.ResolveAsync(OtherPhysician, byPhysician.Id);
        Assert.Equal((AnnotationStatus.Resolved, "dr-c", AnnotationTestData.Start.AddHours(2)), (resolved.Status, resolved.ResolvedBy, resolved.ResolvedAt!.Value));
        Assert.Contains("already resolved", (await Assert.ThrowsAsync<AnnotationException>(() => data.Service.ResolveAsync(Physician, byPhysician.Id))).Message, StringComparison.Ordinal);

        var open = await data.Service.ThreadsAsync(new AnnotationQuery(Status: AnnotationStatus.Open));
        Assert.Equal(0, open.Total);
        var reopened = await data.Service.ReopenAsync(Physician, byPhysician.Id);
        Assert.Equal((AnnotationStatus.Open, (string?)null), (reopened.Status, reopened.ResolvedBy));
        Assert.Equal([byPhysician.Id], (await data.Service.ThreadsAsync(new AnnotationQuery(Status: AnnotationStatus.Open))).Items.Select(t => t.Thread.Id));
    }
}
