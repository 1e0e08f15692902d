namespace ClinicianPortal.Shared.Records;

/// <summary>
/// What one bundle or NDJSON file becomes after parsing, validation, de-identification and mapping:
/// stored as one unit (all or nothing).
/// </summary>
public sealed record ImportBatch
{
    /// <summary>File name (no directory) the batch came from, for messages.</summary>
    public required string SourceName { get; init; }
    public IReadOnlyList<PatientSummary> Patients { get; init; } = [];
    public IReadOnlyList<ClinicalEvent> Events { get; init; } = [];
    /// <summary>Pseudonymous patient ids referenced by events but not defined in this batch: they must already be stored.</summary>
    public IReadOnlyList<string> ExternalPatientIds { get; init; } = [];
    /// <summary>Pseudonymous event ids (encounters) referenced but not in this batch: they must already be stored.</summary>
    public IReadOnlyList<string> ExternalEventIds { get; init; } = [];
    /// <summary>
    /// Keyed hashes (never the values) of the identifiers seen in this batch: name tokens, phone numbers,
    /// identifier values. Stored so that a later file, such as notes in a separate NDJSON file, can be
    /// scrubbed of them. A null patient id marks a hash that applies to every patient (practitioners).
    /// </summary>
    public IReadOnlyList<IdentifierHash> IdentifierHashes { get; init; } = [];
    /// <summary>Resources read per FHIR type, imported or skipped.</summary>
    public IReadOnlyDictionary<string, int> ResourceCounts { get; init; } = new Dictionary<string, int>();
    /// <summary>Resources of types the portal does not keep (Claim, Organization...), counted and skipped.</summary>
    public IReadOnlyDictionary<string, int> SkippedCounts { get; init; } = new Dictionary<string, int>();
}

/// <summary>A keyed hash of one identifying token (see <see cref="ImportBatch.IdentifierHashes"/>).</summary>
public sealed record IdentifierHash(string? PatientId, string Hash);

/// <summary>Identifier hashes already stored, for scrubbing files that reference patients defined elsewhere.</summary>
public interface IKnownIdentifiers
{
    /// <summary>Hashes for the patient plus those that apply to every patient.</summary>
    Task<IReadOnlySet<string>> ForPatientAsync(string patientId, CancellationToken cancellationToken);
}

/// <summary>
/// A file that cannot be imported. The message names the file, the resource (type and position, never
/// an identifier value) and the field, and never contains PHI.
/// </summary>
public sealed class ImportException : Exception
{
    public ImportException(string sourceName, string reason, string? resource = null, string? field = null)
        : base(Format(sourceName, reason, resource, field))
    {
        SourceName = sourceName;
        Reason = reason;
        Resource = resource;
        Field = field;
    }

    public ImportException() : base("Import failed.") { SourceName = ""; Reason = ""; }
    public ImportException(string message) : base(message) { SourceName = ""; Reason = message; }
    public ImportException(string message, Exception inner) : base(message, inner) { SourceName = ""; Reason = message; }

    public string SourceName { get; }
    public string Reason { get; }
    /// <summary>e.g. "entry 12 (Observation)" or "line 40 (Condition)".</summary>
    public string? Resource { get; }
    /// <summary>e.g. "subject.reference".</summary>
    public string? Field { get; }

    private static string Format(string sourceName, string reason, string? resource, string? field) =>
        $"{sourceName}: {(resource is null ? "" : resource + ": ")}{(field is null ? "" : field + ": ")}{reason}";
}
