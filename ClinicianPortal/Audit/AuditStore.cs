using System.Data.Common;
using System.Globalization;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Governance.Audit;
using Dapper;

namespace ClinicianPortal.Audit;

/// <summary>
/// The append-only audit log of AI outputs, in the app's database (both dialects). Appends are serialized
/// (in this process by a gate, across processes by the dialect's lock) so that the chain never forks.
/// </summary>
public sealed class AuditStore(SqlDialect dialect, PatientStore schema, TimeProvider clock)
{
    private const string Columns =
        "id, recorded_at, user_name, patient_id, kind, model_id, model_version, model_sha256, input_sha256, output_json, previous_hash, hash";
    private const string Select =
        """
        id AS Id, recorded_at AS RecordedAt, user_name AS UserName, patient_id AS PatientId, kind AS Kind, model_id AS ModelId,
        model_version AS ModelVersion, model_sha256 AS ModelSha256, input_sha256 AS InputSha256, output_json AS OutputJson,
        previous_hash AS PreviousHash, hash AS Hash
        """;
    private readonly SemaphoreSlim appendGate = new(1, 1);

    /// <summary>Seals <paramref name="entry"/> onto the end of the chain and stores it.</summary>
    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await schema.EnsureSchemaAsync(cancellationToken);
        await appendGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (dialect.AppendLockSql("audit_records") is { } lockSql)
                await connection.ExecuteAsync(new CommandDefinition(lockSql, transaction: transaction, cancellationToken: cancellationToken));
            var last = await connection.QuerySingleOrDefaultAsync<(long Id, string Hash)?>(new CommandDefinition(
                "SELECT id, hash FROM audit_records ORDER BY id DESC LIMIT 1", transaction: transaction, cancellationToken: cancellationToken));
            var record = AuditRecord.Seal(entry, last?.Id ?? 0, last?.Hash ?? AuditRecord.GenesisHash, clock.GetUtcNow());
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO audit_records ({Columns})
                VALUES (@Id, @RecordedAt, @UserName, @PatientId, @Kind, @ModelId, @ModelVersion, @ModelSha256, @InputSha256, @OutputJson, @PreviousHash, @Hash)
                """,
                AuditRow.From(record), transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return record;
        }
        finally
        {
            appendGate.Release();
        }
    }

    /// <summary>The newest records first.</summary>
    public async Task<Page<AuditRecord>> PageAsync(int skip, int take, CancellationToken cancellationToken = default)
    {
        await schema.EnsureSchemaAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM audit_records", cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            $"SELECT {Select} FROM audit_records ORDER BY id DESC LIMIT @Take OFFSET @Skip",
            new { Skip = Math.Max(0, skip), Take = Math.Clamp(take, 1, 500) }, cancellationToken: cancellationToken));
        return new Page<AuditRecord>([.. rows.Select(r => r.ToRecord())], (int)total);
    }

    /// <summary>One record by id, or null.</summary>
    public async Task<AuditRecord?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await schema.EnsureSchemaAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AuditRow>(new CommandDefinition(
            $"SELECT {Select} FROM audit_records WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>Checks the whole chain: every hash, every link, ids without gaps.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await schema.EnsureSchemaAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        // First the hashes alone (small), then the records up to the same point: appends meanwhile are left for next time.
        var hashes = (await connection.QueryAsync<(long Id, string Hash)>(new CommandDefinition(
            "SELECT id, hash FROM audit_records ORDER BY id", cancellationToken: cancellationToken))).ToList();
        if (hashes.Count == 0) return new AuditVerification(true, 0, AuditRecord.GenesisHash);
        var positions = AuditChain.PositionsOf(hashes.Select(h => h.Hash));
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            $"SELECT {Select} FROM audit_records WHERE id <= @Last ORDER BY id", new { Last = hashes[^1].Id },
            cancellationToken: cancellationToken));
        return AuditChain.Verify(rows.Select(r => r.ToRecord()), positions);
    }

    private Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => dialect.OpenAsync(cancellationToken);

    private sealed class AuditRow
    {
        public long Id { get; set; }
        public string RecordedAt { get; set; } = "";
        public string UserName { get; set; } = "";
        public string PatientId { get; set; } = "";
        public string Kind { get; set; } = "";
        public string ModelId { get; set; } = "";
        public string ModelVersion { get; set; } = "";
        public string ModelSha256 { get; set; } = "";
        public string InputSha256 { get; set; } = "";
        public string OutputJson { get; set; } = "";
        public string PreviousHash { get; set; } = "";
        public string Hash { get; set; } = "";

        public static AuditRow From(AuditRecord r) => new()
        {
            Id = r.Id, RecordedAt = AuditHash.FormatTime(r.RecordedAt), UserName = r.UserName, PatientId = r.PatientPseudonym,
            Kind = r.Kind, ModelId = r.Model.Id, ModelVersion = r.Model.Version, ModelSha256 = r.Model.Sha256,
            InputSha256 = r.InputSha256, OutputJson = r.OutputJson, PreviousHash = r.PreviousHash, Hash = r.Hash,
        };

        public AuditRecord ToRecord() => new()
        {
            Id = Id,
            // A time that does not parse was tampered with: MinValue makes the record fail its hash (altered), not the read.
            RecordedAt = DateTimeOffset.TryParseExact(RecordedAt, AuditHash.TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : DateTimeOffset.MinValue,
            UserName = UserName, PatientPseudonym = PatientId, Kind = Kind,
            Model = new ModelStamp(ModelId, ModelVersion, ModelSha256),
            InputSha256 = InputSha256, OutputJson = OutputJson, PreviousHash = PreviousHash, Hash = Hash,
        };
    }
}
