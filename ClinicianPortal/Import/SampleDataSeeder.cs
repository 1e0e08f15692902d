using ClinicianPortal.Data;

namespace ClinicianPortal.Import;

/// <summary>
/// First run: when the store holds no patient and Storage:SeedSampleData is on, imports the sample bundles
/// shipped in Storage:SampleDataDirectory before the app starts serving, so that it opens with patients.
/// </summary>
public sealed class SampleDataSeeder(StorageOptions options, IPatientStore store, ImportService importService, ILogger<SampleDataSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.SeedSampleData || await store.CountPatientsAsync(cancellationToken) > 0) return;

        var files = Directory.Exists(options.SampleDataDirectory) ? ImportService.CollectFiles([options.SampleDataDirectory]) : [];
        if (files.Count == 0)
        {
            logger.LogWarning("No sample data in {Folder}: the patient list starts empty. Import files with `ClinicianPortal import <file-or-folder>`, " +
                "or set Storage:SampleDataDirectory (Storage:SeedSampleData=false silences this).", options.SampleDataDirectory);
            return;
        }

        logger.LogInformation("Empty store: importing {Files} sample files from {Folder}", files.Count, options.SampleDataDirectory);
        var progress = new SynchronousProgress<ImportProgress>(p =>
        {
            if (p.CurrentFile is not null && p.FilesDone % 10 == 0)
                logger.LogInformation("Sample data: {Done}/{Total} files, {Resources} resources", p.FilesDone, p.FilesTotal, p.ResourcesSoFar);
        });
        var summary = await importService.ImportAsync(files, progress, cancellationToken);
        if (summary.Failed > 0)
            logger.LogWarning("Sample data: {Failed} of {Total} files could not be imported (see the messages above)", summary.Failed, summary.Files.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>An IProgress that reports on the caller's thread, in order (Progress&lt;T&gt; posts to the thread pool).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
