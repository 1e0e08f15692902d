using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ClinicianPortal.Shared.Reasoning.Evaluation;

/// <summary>One DDXPlus evidence (a question): binary ("B"), categorical ("C", one value) or multi-choice ("M").</summary>
public sealed record DdxPlusEvidence(string Code, string Question, string DataType, bool IsAntecedent, IReadOnlyList<(string Value, string Meaning)> Values);

/// <summary>One DDXPlus pathology: the evidences its generator can give a patient (symptoms and antecedents).</summary>
public sealed record DdxPlusCondition(string Name, string EnglishName, string Icd10, int Severity, IReadOnlyList<string> Evidences);

/// <summary>One DDXPlus patient: evidences as E_x or E_x_@_value, and the dataset's own differential.</summary>
public sealed record DdxPlusPatient(int Row, int Age, string Sex, string Pathology, IReadOnlyList<string> Evidences,
    IReadOnlyList<(string Name, double Probability)> Differential);

/// <summary>Reads the DDXPlus release files (release_conditions.json, release_evidences.json, the patients CSV).</summary>
public static partial class DdxPlusData
{
    public const string ConditionsFile = "release_conditions.json";
    public const string EvidencesFile = "release_evidences.json";
    /// <summary>Columns of the patients CSV (the subset's renamed DDXPlus columns; see data/ddxplus/README.md).</summary>
    public static readonly string[] PatientColumns = ["age", "top5_diagnoses", "sex", "diagnosis", "features"];

    public static IReadOnlyList<DdxPlusEvidence> ReadEvidences(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var list = new List<DdxPlusEvidence>();
        foreach (var e in doc.RootElement.EnumerateObject())
        {
            var v = e.Value;
            var meanings = v.GetProperty("value_meaning");
            var values = new List<(string, string)>();
            foreach (var value in v.GetProperty("possible-values").EnumerateArray())
            {
                var key = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : value.GetString()!;
                var meaning = meanings.ValueKind == JsonValueKind.Object && meanings.TryGetProperty(key, out var m) && m.TryGetProperty("en", out var en)
                    ? en.GetString()! : key;
                values.Add((key, meaning));
            }
            list.Add(new DdxPlusEvidence(v.GetProperty("name").GetString()!, v.GetProperty("question_en").GetString()!,
                v.GetProperty("data_type").GetString()!, v.GetProperty("is_antecedent").GetBoolean(), values));
        }
        return list;
    }

    public static IReadOnlyList<DdxPlusCondition> ReadConditions(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var list = new List<DdxPlusCondition>();
        foreach (var c in doc.RootElement.EnumerateObject())
        {
            var v = c.Value;
            var evidences = v.GetProperty("symptoms").EnumerateObject().Select(p => p.Name)
                .Concat(v.GetProperty("antecedents").EnumerateObject().Select(p => p.Name)).Distinct().ToList();
            list.Add(new DdxPlusCondition(v.GetProperty("condition_name").GetString()!, v.GetProperty("cond-name-eng").GetString()!,
                v.GetProperty("icd10-id").GetString()!, v.GetProperty("severity").GetInt32(), evidences));
        }
        return list;
    }

    /// <summary>Whether a CSV's header is the DDXPlus patients header.</summary>
    public static bool IsPatientsCsv(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (header is null) return false;
        var columns = ParseCsvLine(header);
        return PatientColumns.All(columns.Contains);
    }

    /// <exception cref="InvalidDataException">A row that does not parse, named by its line number.</exception>
    public static IReadOnlyList<DdxPlusPatient> ReadPatients(string path)
    {
        using var reader = new StreamReader(path);
        var header = ParseCsvLine(reader.ReadLine() ?? throw new InvalidDataException($"{Path.GetFileName(path)} is empty."));
        int Col(string name) => header.IndexOf(name) is var i and >= 0 ? i
            : throw new InvalidDataException($"{Path.GetFileName(path)} has no '{name}' column (expected {string.Join(", ", PatientColumns)}).");
        int age = Col("age"), sex = Col("sex"), pathology = Col("diagnosis"), evidences = Col("features"), differential = Col("top5_diagnoses");
        var patients = new List<DdxPlusPatient>();
        string? line;
        var lineNumber = 1;
        while ((line = ReadRecord(reader)) is not null)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var f = ParseCsvLine(line);
            if (f.Count < header.Count || !int.TryParse(f[age], CultureInfo.InvariantCulture, out var a))
                throw new InvalidDataException($"{Path.GetFileName(path)}, record {lineNumber - 1}: expected {header.Count} columns with a numeric age.");
            var diff = DifferentialEntry().Matches(f[differential])
                .Select(m => (m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)))
                .ToList();
            var ev = QuotedItem().Matches(f[evidences]).Select(m => m.Groups[1].Value).ToList();
            patients.Add(new DdxPlusPatient(patients.Count, a, f[sex], f[pathology], ev, diff));
        }
        return patients;
    }

    // A record may span lines when a quoted field holds a newline.
    private static string? ReadRecord(TextReader reader)
    {
        var line = reader.ReadLine();
        if (line is null) return null;
        var sb = new StringBuilder(line);
        while (sb.ToString().Count(ch => ch == '"') % 2 == 1 && reader.ReadLine() is { } more) sb.Append('\n').Append(more);
        return sb.ToString();
    }

    internal static List<string> ParseCsvLine(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else sb.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(ch);
        }
        fields.Add(sb.ToString());
        return fields;
    }

    [GeneratedRegex("""\[\s*(?:'([^']*)'|"([^"]*)")\s*,\s*([0-9.eE+-]+)\s*\]""")]
    private static partial Regex DifferentialEntry();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedItem();
}
