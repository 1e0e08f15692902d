using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ClinicianPortal.Shared.Records;
using Dapper;

namespace ClinicianPortal.Data;

/// <summary>
/// The patient store over Dapper, one class for every dialect: the SQL is portable and
/// <see cref="SqlDialect"/> supplies connections and migrations. The schema is migrated on first use.
/// </summary>
public sealed class PatientStore(SqlDialect dialect) : IPatientStore, IImportLog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly HashSet<string> ActiveStatuses = new(StringComparer.OrdinalIgnoreCase) { "active", "recurrence", "relapse" };
    // Parameters per IN (...) list: well under SQLite's and PostgreSQL's limits.
    private const int InListChunk = 500;

    private readonly SemaphoreSlim migrationGate = new(1, 1);
    private volatile bool migrated;

    /// <summary>Applies pending migrations (once per store; retried after a failure); every other member calls it first.</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        if (migrated) return;
        await migrationGate.WaitAsync(cancellationToken);
        try
        {
            if (!migrated) await SchemaMigrator.MigrateAsync(dialect, cancellationToken);
            migrated = true;
        }
        finally
        {
            migrationGate.Release();
        }
    }

    public async Task StoreAsync(ImportBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await RequireExistingAsync(connection, transaction, "patients", batch.ExternalPatientIds, batch.Patients.Select(p => p.Id),
                batch.SourceName, "patient", cancellationToken);
            await RequireExistingAsync(connection, transaction, "events", batch.ExternalEventIds, batch.Events.Select(e => e.Id),
                batch.SourceName, "encounter or other event", cancellationToken);

            // A resource listed twice in a file is stored once (the last one wins), as a re-import would.
            var patients = batch.Patients.GroupBy(p => p.Id, StringComparer.Ordinal).Select(g => PatientRow.From(g.Last()));
            var events = batch.Events.GroupBy(e => e.Id, StringComparer.Ordinal).Select(g => EventRow.From(g.Last()));
            await InsertAsync(connection, transaction, "patients", PatientColumns, patients, UpdateOnConflict(PatientColumns), cancellationToken);
            await InsertAsync(connection, transaction, "events", EventColumns, events, UpdateOnConflict(EventColumns), cancellationToken);
            await InsertAsync(connection, transaction, "identifier_hashes", HashColumns, batch.IdentifierHashes.Distinct(), "ON CONFLICT DO NOTHING", cancellationToken);

            var touched = batch.Patients.Select(p => p.Id).Concat(batch.Events.Select(e => e.PatientId)).Distinct(StringComparer.Ordinal);
            foreach (var patientId in touched) await RefreshListColumnsAsync(connection, transaction, patientId, cancellationToken);

            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            // Explicit, so that the connection goes back to the pool clean whatever the failure was. A rollback that
            // fails too (connection lost) must not hide the original error: the server discards the transaction anyway.
            try { await transaction.RollbackAsync(CancellationToken.None); }
            catch (DbException) { }
            throw;
        }
    }

    /// <summary>Every id in <paramref name="required"/> that the batch does not define itself must already be stored.</summary>
    private async Task RequireExistingAsync(DbConnection connection, DbTransaction transaction, string table,
        IEnumerable<string> required, IEnumerable<string> definedInBatch, string sourceName, string kind, CancellationToken cancellationToken)
    {
        var defined = definedInBatch.ToHashSet(StringComparer.Ordinal);
        var wanted = required.Where(id => !defined.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
        var missing = 0;
        foreach (var chunk in wanted.Chunk(InListChunk))
        {
            var found = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COUNT(*) FROM {table} WHERE {dialect.InList("id", "Ids")}", new { Ids = chunk }, transaction, cancellationToken: cancellationToken));
            missing += chunk.Length - (int)found;
        }
        if (missing > 0)
        {
            throw new ImportException(sourceName,
                $"{missing} referenced {kind}{(missing == 1 ? " is" : "s are")} neither in this file nor already imported; import the file that defines {(missing == 1 ? "it" : "them")} first");
        }
    }

    /// <summary>Recomputes the denormalized columns the patient list filters and sorts on.</summary>
    private static async Task RefreshListColumnsAsync(DbConnection connection, DbTransaction transaction, string patientId, CancellationToken cancellationToken)
    {
        var conditions = await connection.QueryAsync<(string Title, string? Status, string? EndAt)>(new CommandDefinition(
            "SELECT title, status, end_at FROM events WHERE patient_id = @PatientId AND kind = @Kind ORDER BY start_ticks, id",
            new { PatientId = patientId, Kind = nameof(EventKind.Condition) }, transaction, cancellationToken: cancellationToken));
        var active = conditions
            .Where(c => c.Status is null ? c.EndAt is null : ActiveStatuses.Contains(c.Status))
            .Select(c => c.Title.ReplaceLineEndings(" ").Trim())
            .Where(t => t.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE patients SET
                active_problems = @ActiveProblems,
                event_count = (SELECT COUNT(*) FROM events e WHERE e.patient_id = patients.id),
                last_seen_ticks = (SELECT MAX(e.start_ticks) FROM events e WHERE e.patient_id = patients.id AND e.kind = @Encounter)
            WHERE id = @PatientId
            """,
            new { PatientId = patientId, ActiveProblems = string.Join('\n', active), Encounter = nameof(EventKind.Encounter) },
            transaction, cancellationToken: cancellationToken));
    }

    public async Task<Page<PatientListItem>> SearchAsync(PatientQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new StringBuilder("WHERE 1 = 1");
        var parameters = new DynamicParameters();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            where.Append(@" AND LOWER(id) LIKE @Search ESCAPE '\'");
            parameters.Add("Search", ContainsPattern(query.Search));
        }
        if (!string.IsNullOrWhiteSpace(query.Sex))
        {
            where.Append(" AND LOWER(sex) = @Sex");
            parameters.Add("Sex", query.Sex.Trim().ToLowerInvariant());
        }
        if (!string.IsNullOrWhiteSpace(query.Condition))
        {
            where.Append(@" AND LOWER(active_problems) LIKE @Condition ESCAPE '\'");
            parameters.Add("Condition", ContainsPattern(query.Condition));
        }
        if (!string.IsNullOrWhiteSpace(query.AgeBand)) AppendAgeBand(query.AgeBand.Trim(), where, parameters);

        var direction = query.Descending ? "DESC" : "ASC";
        // Unknown values sort last either way; the id (ascending) breaks ties so that paging is stable.
        var orderBy = query.SortBy switch
        {
            PatientSort.Age => $"(age IS NULL AND is_over_89 = @False), is_over_89 {direction}, age {direction}",
            PatientSort.Sex => $"sex {direction}",
            PatientSort.LastSeen => $"(last_seen_ticks IS NULL), last_seen_ticks {direction}",
            PatientSort.EventCount => $"event_count {direction}",
            _ => $"id {direction}",
        };
        parameters.Add("False", false);
        parameters.Add("Take", Math.Clamp(query.Take, 0, 1000));
        parameters.Add("Skip", Math.Max(query.Skip, 0));

        await using var connection = await OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM patients {where}", parameters, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<PatientRow>(new CommandDefinition(
            $"{SelectPatientSql} {where} ORDER BY {orderBy}{(query.SortBy == PatientSort.Id ? "" : ", id")} LIMIT @Take OFFSET @Skip",
            parameters, cancellationToken: cancellationToken));
        var items = rows.Select(r => new PatientListItem(
            r.ToSummary(),
            r.ActiveProblems.Length == 0 ? [] : r.ActiveProblems.Split('\n'),
            (int)r.EventCount,
            r.LastSeenTicks is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null)).ToList();
        return new Page<PatientListItem>(items, (int)total);
    }

    private static void AppendAgeBand(string band, StringBuilder where, DynamicParameters parameters)
    {
        if (band == "90+")
        {
            where.Append(" AND is_over_89 = @True");
            parameters.Add("True", true);
            return;
        }
        if (band.Equals("unknown", StringComparison.OrdinalIgnoreCase))
        {
            where.Append(" AND age IS NULL AND is_over_89 = @NotOver89");
            parameters.Add("NotOver89", false);
            return;
        }
        var parts = band.Split('-');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var high)
            || low > high)
        {
            throw new ArgumentException($"Age band '{band}' is not of the form \"40-49\", \"90+\" or \"unknown\".", nameof(band));
        }
        where.Append(" AND is_over_89 = @NotOver89 AND age BETWEEN @AgeLow AND @AgeHigh");
        parameters.Add("NotOver89", false);
        parameters.Add("AgeLow", low);
        parameters.Add("AgeHigh", high);
    }

    /// <summary>A case-insensitive "contains" LIKE pattern with the wildcards of the user's text escaped.</summary>
    private static string ContainsPattern(string text) =>
        "%" + text.Trim().ToLowerInvariant().Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";

    public async Task<PatientSummary?> GetPatientAsync(string patientId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<PatientRow>(new CommandDefinition(
            $"{SelectPatientSql} WHERE id = @Id", new { Id = patientId }, cancellationToken: cancellationToken));
        return row?.ToSummary();
    }

    public async Task<IReadOnlyList<ClinicalEvent>> GetEventsAsync(string patientId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(
            $"{SelectEventSql} WHERE patient_id = @PatientId ORDER BY (start_ticks IS NULL), start_ticks, id",
            new { PatientId = patientId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEvent())];
    }

    public async Task<ClinicalEvent?> GetEventAsync(string eventId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EventRow>(new CommandDefinition(
            $"{SelectEventSql} WHERE id = @Id", new { Id = eventId }, cancellationToken: cancellationToken));
        return row?.ToEvent();
    }

    public async Task<int> CountPatientsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM patients", cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlySet<string>> ForPatientAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var hashes = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT hash FROM identifier_hashes WHERE patient_id = @PatientId OR patient_id IS NULL",
            new { PatientId = patientId }, cancellationToken: cancellationToken));
        return hashes.ToHashSet(StringComparer.Ordinal);
    }

    public async Task AppendAsync(ImportLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO import_log (file_name, imported_at, succeeded, patients, events, resources, skipped, duration_ms, error)
            VALUES (@FileName, @ImportedAt, @Succeeded, @Patients, @Events, @Resources, @Skipped, @DurationMs, @Error)
            """,
            new
            {
                entry.FileName,
                ImportedAt = entry.ImportedAt.ToString("O", CultureInfo.InvariantCulture),
                entry.Succeeded,
                entry.Patients,
                entry.Events,
                entry.Resources,
                entry.Skipped,
                DurationMs = (long)entry.Duration.TotalMilliseconds,
                entry.Error,
            }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<ImportLogEntry>> RecentAsync(int count, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ImportLogRow>(new CommandDefinition(
            """
            SELECT file_name AS FileName, imported_at AS ImportedAt, succeeded AS Succeeded, patients AS Patients, events AS Events,
                   resources AS Resources, skipped AS Skipped, duration_ms AS DurationMs, error AS Error
            FROM import_log ORDER BY id DESC LIMIT @Count
            """, new { Count = Math.Max(count, 0) }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new ImportLogEntry(r.FileName, DateTimeOffset.Parse(r.ImportedAt, CultureInfo.InvariantCulture), r.Succeeded,
            (int)r.Patients, (int)r.Events, (int)r.Resources, (int)r.Skipped, TimeSpan.FromMilliseconds(r.DurationMs), r.Error))];
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        return await dialect.OpenAsync(cancellationToken);
    }

    private const string SelectPatientSql = """
        SELECT id AS Id, sex AS Sex, birth_date AS BirthDate, deceased_date AS DeceasedDate, age AS Age, is_over_89 AS IsOver89,
               state AS State, source_json AS SourceJson, active_problems AS ActiveProblems, event_count AS EventCount,
               last_seen_ticks AS LastSeenTicks
        FROM patients
        """;

    private const string SelectEventSql = """
        SELECT id AS Id, patient_id AS PatientId, kind AS Kind, resource_type AS ResourceType, start_at AS StartAt,
               start_ticks AS StartTicks, end_at AS EndAt, title AS Title, code_system AS CodeSystem, code AS Code,
               codes_json AS CodesJson, status AS Status, category AS Category, value_num AS ValueNum, value_unit AS ValueUnit,
               value_ucum AS ValueUcum, value_text AS ValueText, range_json AS RangeJson, interpretation AS Interpretation,
               components_json AS ComponentsJson, encounter_id AS EncounterId, text AS Text, source_json AS SourceJson
        FROM events
        """;

    /// <summary>A column of a multi-row insert: its name, its value in a row, and the type to send (null values need one).</summary>
    private sealed record Column<T>(string Name, Func<T, object?> Value, DbType Type);

    /// <summary>
    /// INSERT ... VALUES (...), (...) with as many rows per statement as the dialect likes (one round trip per
    /// hundred rows makes PostgreSQL fast; embedded SQLite prefers short statements), each command built once
    /// and re-run with new values.
    /// </summary>
    private async Task InsertAsync<T>(DbConnection connection, DbTransaction transaction, string table,
        IReadOnlyList<Column<T>> columns, IEnumerable<T> rows, string onConflict, CancellationToken cancellationToken)
    {
        var list = rows as IReadOnlyList<T> ?? [.. rows];
        var rowsPerStatement = Math.Max(1, dialect.ParametersPerStatement / columns.Count);
        DbCommand? command = null;
        try
        {
            for (var first = 0; first < list.Count; first += rowsPerStatement)
            {
                var count = Math.Min(rowsPerStatement, list.Count - first);
                if (command is null || command.Parameters.Count != count * columns.Count)
                {
                    if (command is not null) await command.DisposeAsync();
                    command = CreateInsert(connection, transaction, table, columns, count, onConflict);
                }
                for (var r = 0; r < count; r++)
                {
                    for (var c = 0; c < columns.Count; c++)
                        command.Parameters[(r * columns.Count) + c].Value = columns[c].Value(list[first + r]) ?? DBNull.Value;
                }
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            if (command is not null) await command.DisposeAsync();
        }
    }

    private static DbCommand CreateInsert<T>(DbConnection connection, DbTransaction transaction, string table,
        IReadOnlyList<Column<T>> columns, int rows, string onConflict)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Count; c++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = string.Create(CultureInfo.InvariantCulture, $"@p{r}_{c}");
                parameter.DbType = columns[c].Type;
                command.Parameters.Add(parameter);
                sql.Append(c == 0 ? "" : ", ").Append(parameter.ParameterName);
            }
            sql.Append(')');
        }
        command.CommandText = sql.Append(' ').Append(onConflict).ToString();
        return command;
    }

    /// <summary>Upsert by id: a re-imported resource replaces the stored one.</summary>
    private static string UpdateOnConflict<T>(IEnumerable<Column<T>> columns) =>
        "ON CONFLICT (id) DO UPDATE SET " + string.Join(", ", columns.Where(c => c.Name != "id").Select(c => $"{c.Name} = excluded.{c.Name}"));

    private static readonly Column<PatientRow>[] PatientColumns =
    [
        new("id", r => r.Id, DbType.String),
        new("sex", r => r.Sex, DbType.String),
        new("birth_date", r => r.BirthDate, DbType.String),
        new("deceased_date", r => r.DeceasedDate, DbType.String),
        new("age", r => r.Age, DbType.Int32),
        new("is_over_89", r => r.IsOver89, DbType.Boolean),
        new("state", r => r.State, DbType.String),
        new("source_json", r => r.SourceJson, DbType.String),
    ];

    private static readonly Column<EventRow>[] EventColumns =
    [
        new("id", r => r.Id, DbType.String),
        new("patient_id", r => r.PatientId, DbType.String),
        new("kind", r => r.Kind, DbType.String),
        new("resource_type", r => r.ResourceType, DbType.String),
        new("start_at", r => r.StartAt, DbType.String),
        new("start_ticks", r => r.StartTicks, DbType.Int64),
        new("end_at", r => r.EndAt, DbType.String),
        new("title", r => r.Title, DbType.String),
        new("code_system", r => r.CodeSystem, DbType.String),
        new("code", r => r.Code, DbType.String),
        new("codes_json", r => r.CodesJson, DbType.String),
        new("status", r => r.Status, DbType.String),
        new("category", r => r.Category, DbType.String),
        new("value_num", r => r.ValueNum, DbType.Double),
        new("value_unit", r => r.ValueUnit, DbType.String),
        new("value_ucum", r => r.ValueUcum, DbType.String),
        new("value_text", r => r.ValueText, DbType.String),
        new("range_json", r => r.RangeJson, DbType.String),
        new("interpretation", r => r.Interpretation, DbType.String),
        new("components_json", r => r.ComponentsJson, DbType.String),
        new("encounter_id", r => r.EncounterId, DbType.String),
        new("text", r => r.Text, DbType.String),
        new("source_json", r => r.SourceJson, DbType.String),
    ];

    private static readonly Column<IdentifierHash>[] HashColumns =
    [
        new("patient_id", h => h.PatientId, DbType.String),
        new("hash", h => h.Hash, DbType.String),
    ];

    private static string? FormatDate(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static DateOnly? ParseDate(string? text) => text is null ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string? FormatInstant(DateTimeOffset? instant) => instant?.ToString("O", CultureInfo.InvariantCulture);
    private static DateTimeOffset? ParseInstant(string? text) =>
        text is null ? null : DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None);

    /// <summary>A patients row as read and written.</summary>
    private sealed class PatientRow
    {
        public string Id { get; set; } = "";
        public string Sex { get; set; } = "";
        public string? BirthDate { get; set; }
        public string? DeceasedDate { get; set; }
        public int? Age { get; set; }
        public bool IsOver89 { get; set; }
        public string? State { get; set; }
        public string SourceJson { get; set; } = "";
        public string ActiveProblems { get; set; } = "";
        public long EventCount { get; set; }
        public long? LastSeenTicks { get; set; }

        public static PatientRow From(PatientSummary p) => new()
        {
            Id = p.Id, Sex = p.Sex, BirthDate = FormatDate(p.BirthDate), DeceasedDate = FormatDate(p.DeceasedDate),
            Age = p.Age, IsOver89 = p.IsOver89, State = p.State, SourceJson = p.SourceJson,
        };

        public PatientSummary ToSummary() => new()
        {
            Id = Id, Sex = Sex, BirthDate = ParseDate(BirthDate), DeceasedDate = ParseDate(DeceasedDate),
            Age = Age, IsOver89 = IsOver89, State = State, SourceJson = SourceJson,
        };
    }

    /// <summary>An events row as read and written.</summary>
    private sealed class EventRow
    {
        public string Id { get; set; } = "";
        public string PatientId { get; set; } = "";
        public string Kind { get; set; } = "";
        public string ResourceType { get; set; } = "";
        public string? StartAt { get; set; }
        public long? StartTicks { get; set; }
        public string? EndAt { get; set; }
        public string Title { get; set; } = "";
        public string? CodeSystem { get; set; }
        public string? Code { get; set; }
        public string CodesJson { get; set; } = "[]";
        public string? Status { get; set; }
        public string? Category { get; set; }
        public double? ValueNum { get; set; }
        public string? ValueUnit { get; set; }
        public string? ValueUcum { get; set; }
        public string? ValueText { get; set; }
        public string? RangeJson { get; set; }
        public string? Interpretation { get; set; }
        public string ComponentsJson { get; set; } = "[]";
        public string? EncounterId { get; set; }
        public string? Text { get; set; }
        public string SourceJson { get; set; } = "";

        public static EventRow From(ClinicalEvent e) => new()
        {
            Id = e.Id, PatientId = e.PatientId, Kind = e.Kind.ToString(), ResourceType = e.ResourceType,
            StartAt = FormatInstant(e.Start), StartTicks = e.Start?.UtcTicks, EndAt = FormatInstant(e.End), Title = e.Title,
            CodeSystem = e.Code?.System, Code = e.Code?.Code, CodesJson = JsonSerializer.Serialize(e.Codes, Json),
            Status = e.Status, Category = e.Category, ValueNum = e.Value?.Value, ValueUnit = e.Value?.Unit, ValueUcum = e.Value?.UcumCode,
            ValueText = e.ValueText, RangeJson = e.Range is null ? null : JsonSerializer.Serialize(e.Range, Json),
            Interpretation = e.Interpretation, ComponentsJson = JsonSerializer.Serialize(e.Components, Json),
            EncounterId = e.EncounterId, Text = e.Text, SourceJson = e.SourceJson,
        };

        public ClinicalEvent ToEvent() => new()
        {
            Id = Id, PatientId = PatientId, Kind = Enum.Parse<EventKind>(Kind), ResourceType = ResourceType,
            Start = ParseInstant(StartAt), End = ParseInstant(EndAt), Title = Title,
            Codes = JsonSerializer.Deserialize<List<Coding>>(CodesJson, Json) ?? [],
            Status = Status, Category = Category,
            Value = ValueNum is double value ? new Quantity(value, ValueUnit, ValueUcum) : null,
            ValueText = ValueText, Range = RangeJson is null ? null : JsonSerializer.Deserialize<ReferenceRange>(RangeJson, Json),
            Interpretation = Interpretation,
            Components = JsonSerializer.Deserialize<List<ObservationComponent>>(ComponentsJson, Json) ?? [],
            EncounterId = EncounterId, Text = Text, SourceJson = SourceJson,
        };
    }

    private sealed class ImportLogRow
    {
        public string FileName { get; set; } = "";
        public string ImportedAt { get; set; } = "";
        public bool Succeeded { get; set; }
        public long Patients { get; set; }
        public long Events { get; set; }
        public long Resources { get; set; }
        public long Skipped { get; set; }
        public long DurationMs { get; set; }
        public string? Error { get; set; }
    }
}
