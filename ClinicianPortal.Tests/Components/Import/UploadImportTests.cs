using ClinicianPortal.Components.Import;
using ClinicianPortal.Import;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Records;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Tests.Components.Import;

/// <summary>Uploaded files through the real import service and a real SQLite store.</summary>
public sealed class UploadImportTests
{
    [Fact]
    public async Task A_file_over_the_limit_is_rejected_with_the_reason_and_the_others_are_imported()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite");
        var importer = ImportTestKit.Importer();
        var uploads = new UploadImport(new ImportService(importer, db.Store, db.Store, NullLogger<ImportService>.Instance), importer, NullLogger<UploadImport>.Instance);
        var bundle = Directory.GetFiles(TestEnvironment.SharedData("synthea"), "*.json").OrderBy(f => new FileInfo(f).Length).First();
        var reports = new List<UploadProgress>();
        IBrowserFile[] files = [new DiskFile(bundle), new DiskFile(bundle, "huge.json", UploadImport.MaxFileBytes + 1)];

        var results = await uploads.ImportAsync(files, new SynchronousProgress<UploadProgress>(reports.Add), CancellationToken.None);

        var imported = Assert.Single(results, r => r.Succeeded);
        Assert.Equal(Path.GetFileName(bundle), imported.FileName);
        Assert.Equal(1, await db.Store.CountPatientsAsync());
        var rejected = Assert.Single(results, r => !r.Succeeded);
        Assert.Equal("huge.json", rejected.FileName);
        Assert.Contains("over the upload limit of 200 MB", rejected.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("huge", rejected.Error, StringComparison.Ordinal);
        Assert.Equal(1, reports[^1].Fraction);
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\x\\bundle.json", "bundle.json")]
    [InlineData("..", "upload.json")]
    public void Uploaded_names_lose_any_directory_part(string name, string expected)
    {
        Assert.Equal(expected, UploadImport.SafeName(name));
    }

    /// <summary>A browser file backed by a file on disk (the size may be overstated to test the limit).</summary>
    private sealed class DiskFile(string path, string? name = null, long? size = null) : IBrowserFile
    {
        public string Name => name ?? Path.GetFileName(path);
        public DateTimeOffset LastModified => File.GetLastWriteTimeUtc(path);
        public long Size => size ?? new FileInfo(path).Length;
        public string ContentType => "application/json";

        public Stream OpenReadStream(long maxAllowedSize = 512000, CancellationToken cancellationToken = default) =>
            Size > maxAllowedSize ? throw new IOException("over the allowed size") : File.OpenRead(path);
    }
}
