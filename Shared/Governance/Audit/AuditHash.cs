using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ClinicianPortal.Shared.Governance.Audit;

/// <summary>
/// The canonical form of a record and its hash. Each field is written as name, UTF-8 byte length and value,
/// in a fixed order, so that no two different records share a canonical form (no separator ambiguity).
/// </summary>
public static class AuditHash
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static string Canonical(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var text = new StringBuilder();
        Field(text, "id", record.Id.ToString(CultureInfo.InvariantCulture));
        Field(text, "recorded_at", FormatTime(record.RecordedAt));
        Field(text, "user", record.UserName);
        Field(text, "patient", record.PatientPseudonym);
        Field(text, "kind", record.Kind);
        Field(text, "model_id", record.Model.Id);
        Field(text, "model_version", record.Model.Version);
        Field(text, "model_sha256", record.Model.Sha256);
        Field(text, "input_sha256", record.InputSha256);
        Field(text, "output", record.OutputJson);
        Field(text, "previous_hash", record.PreviousHash);
        return text.ToString();
    }

    /// <summary>sha256 (lower-case hex) of the record's canonical form; <see cref="AuditRecord.Hash"/> itself is not part of it.</summary>
    public static string Compute(AuditRecord record) => Sha256Hex(Canonical(record));

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string KindName(AuditKind kind) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());


    private static void Field(StringBuilder text, string name, string value) =>
        text.Append(name).Append(' ').Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(' ').Append(value).Append('\n');
}
