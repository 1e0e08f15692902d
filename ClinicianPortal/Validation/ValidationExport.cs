using System.Buffers;
using System.Text.Json;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Shared.Governance.Validation;

namespace ClinicianPortal.Validation;

/// <summary>
/// The rated outputs as JSON Lines for model refinement: one line per rated item with its task, the model (id, version,
/// sha256), the audit record (id, hash, inputs hash) and its output JSON, every rating with its scores and comment, and
/// the mean score per dimension. Raters are pseudonymised (rater-1, rater-2... in order of their first rating in the
/// export), consistently across lines so that agreement can be computed, without naming people.
/// </summary>
public static class ValidationExport
{
    public const string ContentType = "application/jsonl; charset=utf-8";
    public const string FileName = "validation-ratings.jsonl";

    /// <returns>The number of lines written.</returns>
    public static async Task<int> WriteAsync(IAsyncEnumerable<RatedOutput> rated, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rated);
        ArgumentNullException.ThrowIfNull(output);
        var raters = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = 0;
        // Each line is built in memory and written asynchronously (the server refuses synchronous writes).
        var line = new ArrayBufferWriter<byte>();
        await using var json = new Utf8JsonWriter(line);
        await foreach (var item in rated.WithCancellation(cancellationToken))
        {
            line.ResetWrittenCount();
            json.Reset(line);
            Write(json, item, raters);
            json.Flush();
            line.Write("\n"u8);
            await output.WriteAsync(line.WrittenMemory, cancellationToken);
            if (++lines % 100 == 0) await output.FlushAsync(cancellationToken);
        }
        await output.FlushAsync(cancellationToken);
        return lines;
    }

    private static void Write(Utf8JsonWriter json, RatedOutput item, Dictionary<string, string> raters)
    {
        json.WriteStartObject();
        json.WriteNumber("itemId", item.ItemId);
        json.WriteString("task", StratifiedSampler.TaskKey(item.Task));
        json.WriteStartObject("model");
        json.WriteString("id", item.Model.Id);
        json.WriteString("version", item.Model.Version);
        json.WriteString("sha256", item.Model.Sha256);
        json.WriteEndObject();
        json.WriteStartObject("auditRecord");
        json.WriteNumber("id", item.AuditRecordId);
        json.WriteString("hash", item.AuditHash);
        json.WriteString("kind", item.Kind);
        json.WriteString("recordedAt", AuditHash.FormatTime(item.RecordedAt));
        json.WriteString("inputSha256", item.InputSha256);
        json.WriteEndObject();
        json.WritePropertyName("output");
        json.WriteRawValue(item.OutputJson, skipInputValidation: false);
        json.WriteStartArray("ratings");
        foreach (var rating in item.Ratings)
        {
            if (!raters.TryGetValue(rating.Rater, out var pseudonym)) raters[rating.Rater] = pseudonym = $"rater-{raters.Count + 1}";
            json.WriteStartObject();
            json.WriteString("rater", pseudonym);
            json.WriteString("ratedAt", AuditHash.FormatTime(rating.RatedAt));
            json.WriteStartObject("scores");
            foreach (var d in Rubric.Dimensions)
                if (rating.Scores.TryGetValue(d.Key, out var score)) json.WriteNumber(d.Key, score);
            json.WriteEndObject();
            json.WriteString("comment", rating.Comment);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("meanScores");
        foreach (var d in Rubric.Dimensions)
        {
            var scores = item.Ratings.Where(r => r.Scores.ContainsKey(d.Key)).Select(r => r.Scores[d.Key]).ToList();
            if (scores.Count > 0) json.WriteNumber(d.Key, Math.Round(scores.Average(), 4));
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
