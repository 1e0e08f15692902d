using ClinicianPortal.Shared.Records.Import;

namespace ClinicianPortal.Shared.Records;

/// <summary>
/// Reads one FHIR R4 file (a JSON Bundle of any type, or bulk-export NDJSON), validates it,
/// de-identifies it with the keyed secret and maps it to the portal's record model.
/// Throws <see cref="ImportException"/> for anything that makes the file unimportable: nothing of it
/// is then stored.
/// </summary>
public sealed class FhirImporter
{
    private readonly Pseudonyms _pseudonyms;
    private readonly TimeProvider _time;

    public FhirImporter(DeidentificationKey key) : this(key, TimeProvider.System) { }

    /// <param name="timeProvider">"Today" for ages of living patients (fixed in tests).</param>
    public FhirImporter(DeidentificationKey key, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(key);
        _pseudonyms = new Pseudonyms(key);
        _time = timeProvider;
    }

    /// <summary>
    /// A keyed stand-in for a file name ("file-7K3M9QX2.json"), stable for the same name. Logs and stored
    /// import records use it, since exported file names often contain the patient's name.
    /// </summary>
    public string FileLabel(string fileName) => _pseudonyms.File(Path.GetFileName(fileName));

    public async Task<ImportBatch> ReadAsync(string sourceName, Stream content, IKnownIdentifiers known, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(known);
        sourceName = Path.GetFileName(sourceName);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var resources = FhirFileReader.Read(sourceName, buffer.ToArray());
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        return await new FileImport(sourceName, resources, _pseudonyms, today).RunAsync(known, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The secret behind every pseudonym and date shift; stable across imports.</summary>
public sealed record DeidentificationKey(byte[] Secret);
