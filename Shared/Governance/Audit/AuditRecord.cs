namespace ClinicianPortal.Shared.Governance.Audit;

/// <summary>What kind of AI output a record keeps.</summary>
/// <summary>What was recorded; stored in kebab case ("case-review").</summary>
public enum AuditKind { Summary, Differential, Evidence, CaseReview, ModelStatusChange }

/// <summary>The model that produced an output: its id, version and the sha256 of its file.</summary>
public sealed record ModelStamp(string Id, string Version, string Sha256);

/// <summary>
/// An AI output about to be recorded: who asked, for which patient (pseudonym), which model, a hash of
/// the canonical inputs and the output itself as canonical JSON. The store gives it an id, a time and its
/// place in the chain (<see cref="AuditRecord"/>).
/// </summary>
public sealed record AuditEntry(string UserName, string PatientPseudonym, AuditKind Kind, ModelStamp Model, string InputSha256, string OutputJson)
{
    /// <summary>An entry for <paramref name="inputs"/> and <paramref name="output"/> (any JSON-serializable values).</summary>
    public static AuditEntry For(string userName, string patientPseudonym, AuditKind kind, ModelStamp model, object inputs, object output)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentException.ThrowIfNullOrWhiteSpace(patientPseudonym);
        ArgumentNullException.ThrowIfNull(model);
        return new AuditEntry(userName, patientPseudonym, kind, model,
            AuditHash.Sha256Hex(CanonicalJson.Serialize(inputs)), CanonicalJson.Serialize(output));
    }
}

/// <summary>
/// One record of the append-only audit log. <see cref="Hash"/> is the sha256 over the record's canonical
/// fields and <see cref="PreviousHash"/>, so each record seals the one before it (a hash chain).
/// </summary>
public sealed record AuditRecord
{
    /// <summary>1, 2, 3... in the order appended: a gap means a deleted record.</summary>
    public required long Id { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
    public required string UserName { get; init; }
    public required string PatientPseudonym { get; init; }
    /// <summary>The <see cref="AuditKind"/> in lower case, kept as text so that a tampered value still verifies (as altered).</summary>
    public required string Kind { get; init; }
    public required ModelStamp Model { get; init; }
    public required string InputSha256 { get; init; }
    public required string OutputJson { get; init; }
    public required string PreviousHash { get; init; }
    public required string Hash { get; init; }

    /// <summary>The previous hash of the first record.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>The next record of a chain whose last record has <paramref name="previousId"/> and <paramref name="previousHash"/>.</summary>
    public static AuditRecord Seal(AuditEntry entry, long previousId, string previousHash, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var record = new AuditRecord
        {
            Id = previousId + 1,
            // Kept to the microsecond in UTC: both databases store it as text and give back exactly this.
            RecordedAt = new DateTimeOffset(recordedAt.UtcTicks - recordedAt.UtcTicks % 10, TimeSpan.Zero),
            UserName = entry.UserName,
            PatientPseudonym = entry.PatientPseudonym,
            Kind = AuditHash.KindName(entry.Kind),
            Model = entry.Model,
            InputSha256 = entry.InputSha256,
            OutputJson = entry.OutputJson,
            PreviousHash = previousHash,
            Hash = "",
        };
        return record with { Hash = AuditHash.Compute(record) };
    }
}
