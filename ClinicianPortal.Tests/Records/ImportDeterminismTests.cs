using System.Text;
using ClinicianPortal.Shared.Records;
using ClinicianPortal.Tests.Infrastructure;
using static ClinicianPortal.Tests.Records.ImportTestKit;

namespace ClinicianPortal.Tests.Records;

/// <summary>Pseudonyms and date shifts depend only on the key and the source ids: re-imports are idempotent.</summary>
public class ImportDeterminismTests
{
    private static readonly string Bundle = TestEnvironment.SharedData("synthea", "Dennis_Durgan_78f005f3-7b33-4a5b-84d9-28417b36dbab.json");
    private static readonly string Planted = Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal.Tests", "Records", "TestData", "planted-identifiers.json");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reading_the_same_file_twice_gives_identical_batches(bool planted)
    {
        var path = planted ? Planted : Bundle;
        var first = Serialize(await ReadFileAsync(path));
        var second = Serialize(await ReadFileAsync(path, importer: Importer()));

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_different_key_gives_different_pseudonyms_and_the_same_clinical_content()
    {
        var other = Importer(new DeidentificationKey(Encoding.UTF8.GetBytes("another-site-secret-with-enough-bytes")));
        var a = await ReadFileAsync(Bundle);
        var b = await ReadFileAsync(Bundle, importer: other);

        Assert.NotEqual(a.Patients[0].Id, b.Patients[0].Id);
        Assert.Empty(a.Events.Select(e => e.Id).Intersect(b.Events.Select(e => e.Id)));
        Assert.Empty(a.IdentifierHashes.Select(h => h.Hash).Intersect(b.IdentifierHashes.Select(h => h.Hash)));
        Assert.Equal(a.Events.Select(e => (e.ResourceType, e.Title, e.Value)), b.Events.Select(e => (e.ResourceType, e.Title, e.Value)));
        Assert.Equal(a.Patients[0].Age, b.Patients[0].Age);
    }

    [Fact]
    public async Task Pseudonyms_have_the_documented_shape()
    {
        var batch = await ReadFileAsync(Bundle);

        Assert.Matches("^PT-[0-9A-HJKMNP-TV-Z]{10}$", batch.Patients[0].Id);
        Assert.All(batch.Events, e => Assert.Matches("^EV-[0-9A-HJKMNP-TV-Z]{12}$", e.Id));
        Assert.Equal(batch.Events.Count, batch.Events.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task An_empty_key_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await ReadFileAsync(Bundle, importer: Importer(new DeidentificationKey([]))));
    }
}
