namespace ClinicianPortal.Shared.Records;

/// <summary>
/// Reads one FHIR R4 file (a JSON Bundle of any type, or bulk-export NDJSON), validates it,
/// de-identifies it with the keyed secret and maps it to the portal's record model.
/// Throws <see cref="ImportException"/> for anything that makes the file unimportable: nothing of it
/// is then stored.
/// </summary>
public sealed class FhirImporter(DeidentificationKey key)
{
    public Task<ImportBatch> ReadAsync(string sourceName, Stream content, IKnownIdentifiers known, CancellationToken cancellationToken = default)
    {
        // TODO(records): implemented by the Records feature; the signature is the contract the store and import service use.
        _ = (key, sourceName, content, known, cancellationToken);
        throw new NotImplementedException();
    }
}

/// <summary>The secret behind every pseudonym and date shift; stable across imports.</summary>
public sealed record DeidentificationKey(byte[] Secret);
