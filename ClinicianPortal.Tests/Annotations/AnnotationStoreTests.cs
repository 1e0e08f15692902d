using ClinicianPortal.Annotations;
using ClinicianPortal.Shared.Governance.Annotations;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Infrastructure;

namespace ClinicianPortal.Tests.Annotations;

/// <summary>The annotations table in a real database of each dialect.</summary>
public sealed class AnnotationStoreTests
{
    private static NewAnnotation Thread(long output, string patient, AnnotationVerdict verdict, string author = "dr-a", string target = "differential/sepsis") =>
        new(output, patient, target, "Sepsis (40%, rank 1)", null, author, "physician", verdict, "comment", null, AnnotationSource.Portal, AnnotationTestData.Start);

    [Theory, SqliteData, PostgresData]
    public async Task An_annotation_reads_back_exactly_with_its_replies_in_order(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var data = AnnotationTestData.For(db);
        var output = await data.OutputAsync("patient-1");

        var thread = await data.Store.InsertAsync(new NewAnnotation(output, "patient-1", "summary/problems/2", "Type 2 diabetes, on metformin.", null,
            "dr-a", "physician", AnnotationVerdict.Disagree, "Metformin was stopped in March.", "Type 2 diabetes, diet-controlled.", AnnotationSource.Portal,
            AnnotationTestData.Start.AddTicks(1234567)));
        var reply = await data.Store.InsertAsync(new NewAnnotation(output, "patient-1", thread.Target, thread.TargetText, thread.Id,
            "nurse-b", "careteam", null, "Confirmed with the pharmacy.", null, AnnotationSource.Portal, AnnotationTestData.Start.AddMinutes(5)));

        Assert.Equal((output, "patient-1", "summary/problems/2", "Type 2 diabetes, on metformin."), (thread.AuditRecordId, thread.PatientId, thread.Target, thread.TargetText));
        Assert.Equal((AnnotationVerdict.Disagree, "Metformin was stopped in March.", "Type 2 diabetes, diet-controlled."), (thread.Verdict!.Value, thread.Comment, thread.Correction));
        Assert.Equal((AnnotationStatus.Open, AnnotationTestData.Start.AddTicks(1234567)), (thread.Status, thread.CreatedAt));
        Assert.Null(thread.ParentId);
        Assert.Equal((thread.Id, (AnnotationVerdict?)null, "careteam"), (reply.ParentId!.Value, reply.Verdict, reply.AuthorRole));

        var all = await data.Store.ForPatientAsync("patient-1");
        Assert.Equal([thread, reply], all);
        Assert.Empty(await data.Store.ForPatientAsync("patient-2"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Threads_filter_by_verdict_status_author_and_patient_newest_first_with_reply_counts(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var data = AnnotationTestData.For(db);
        var one = await data.OutputAsync("patient-1");
        var two = await data.OutputAsync("patient-2");
        var unsafeFlag = await data.Store.InsertAsync(Thread(one, "patient-1", AnnotationVerdict.Unsafe));
        var agree = await data.Store.InsertAsync(Thread(one, "patient-1", AnnotationVerdict.Agree, author: "nurse-b"));
        var missing = await data.Store.InsertAsync(Thread(two, "patient-2", AnnotationVerdict.Missing, target: "differential"));
        await data.Store.InsertAsync(Thread(one, "patient-1", AnnotationVerdict.Unsafe) with { ParentId = unsafeFlag.Id, Verdict = null });
        await data.Store.InsertAsync(Thread(one, "patient-1", AnnotationVerdict.Unsafe) with { ParentId = unsafeFlag.Id, Verdict = null });
        Assert.True(await data.Store.SetStatusAsync(missing.Id, AnnotationStatus.Resolved, "dr-a", AnnotationTestData.Start.AddHours(1)));

        var followUps = await data.Store.ThreadsAsync(new AnnotationQuery([AnnotationVerdict.Disagree, AnnotationVerdict.Missing, AnnotationVerdict.Unsafe]));
        Assert.Equal([missing.Id, unsafeFlag.Id], followUps.Items.Select(t => t.Thread.Id));
        Assert.Equal(2, followUps.Items.Single(t => t.Thread.Id == unsafeFlag.Id).Replies);

        var open = await data.Store.ThreadsAsync(new AnnotationQuery([AnnotationVerdict.Missing, AnnotationVerdict.Unsafe], AnnotationStatus.Open));
        Assert.Equal([unsafeFlag.Id], open.Items.Select(t => t.Thread.Id));
        Assert.Equal([agree.Id], (await data.Store.ThreadsAsync(new AnnotationQuery(Author: "nurse-b"))).Items.Select(t => t.Thread.Id));
        Assert.Equal([missing.Id], (await data.Store.ThreadsAsync(new AnnotationQuery(PatientId: "patient-2"))).Items.Select(t => t.Thread.Id));

        var everything = await data.Store.ThreadsAsync(new AnnotationQuery(Take: 2));
        Assert.Equal(3, everything.Total);
        Assert.Equal([missing.Id, agree.Id], everything.Items.Select(t => t.Thread.Id));

        var resolved = (await data.Store.GetAsync(missing.Id))!;
        Assert.Equal((AnnotationStatus.Resolved, "dr-a", AnnotationTestData.Start.AddHours(1)), (resolved.Status, resolved.ResolvedBy, resolved.ResolvedAt!.Value));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Status_changes_only_threads_and_only_when_it_differs(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var data = AnnotationTestData.For(db);
        var output = await data.OutputAsync("patient-1");
        var thread = await data.Store.InsertAsync(Thread(output, "patient-1", AnnotationVerdict.Disagree));
        var reply = await data.Store.InsertAsync(Thread(output, "patient-1", AnnotationVerdict.Disagree) with { ParentId = thread.Id, Verdict = null });

        Assert.False(await data.Store.SetStatusAsync(reply.Id, AnnotationStatus.Resolved, "dr-a", AnnotationTestData.Start));
        Assert.False(await data.Store.SetStatusAsync(thread.Id, AnnotationStatus.Open, null, null));
        Assert.True(await data.Store.SetStatusAsync(thread.Id, AnnotationStatus.Resolved, "dr-a", AnnotationTestData.Start));
        Assert.False(await data.Store.SetStatusAsync(thread.Id, AnnotationStatus.Resolved, "dr-b", AnnotationTestData.Start));
        Assert.True(await data.Store.SetStatusAsync(thread.Id, AnnotationStatus.Open, null, null));
        var reopened = (await data.Store.GetAsync(thread.Id))!;
        Assert.Equal((AnnotationStatus.Open, (string?)null, (DateTimeOffset?)null), (reopened.Status, reopened.ResolvedBy, reopened.ResolvedAt));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_reply_to_no_stored_thread_is_refused_by_the_database(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var data = AnnotationTestData.For(db);
        var output = await data.OutputAsync("patient-1");
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            data.Store.InsertAsync(Thread(output, "patient-1", AnnotationVerdict.Agree) with { ParentId = 999 }));
        Assert.Equal(0, await db.CountAsync("annotations"));
    }
}
