using System.Diagnostics;
using System.Globalization;
using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Inference.OnnxRuntime;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Evaluation;

namespace ClinicianPortal.Cli;

/// <summary>
/// `dotnet run --project ClinicianPortal -- eval FOLDER|FILE...`: runs the differential engine on benchmark
/// data and prints top-1/3/10 accuracy per dataset (and DDXPlus's GTPA and differential metrics beside the
/// paper's baselines), ending with one comparable line `top1=P1 top3=P3 top10=P10 n=N`.
/// A DDXPlus folder (release_conditions.json, release_evidences.json, a patients CSV) is scored with DDXPlus's
/// own KB converted by <see cref="DdxPlusKnowledge"/>, weights estimated on the even rows, scored on the odd
/// rows only. Vignette JSONL files (Avey, AgentClinic) are scored with the shipped KB in the care setting given by
/// --setting (default emergency, the app's default).
/// </summary>
public static class EvalCommand
{
    public const string Help = "eval [--setting emergency|inpatient|primary-care] FOLDER|FILE...: accuracy of the differential on DDXPlus (folder or CSV) and vignette JSONL files";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // Published DDXPlus baselines (Fansi Tchango et al. 2022, June 2022 preprint): GTPA@1, @3, @5, DDR@5, DDP@5, DDF1@5.
    private static readonly (string Agent, double[] Values)[] PaperBaselines =
    [
        ("AARLC (paper, interactive)", [61.74, 91.51, 96.6, 79.33, 69.79, 72.53]),
        ("BASD (paper, interactive)", [68.23, 91.35, 96.00, 77.1, 78.86, 76.36]),
    ];

    public static Task<int> RunAsync(string[] args)
    {
        // The vignettes' care setting sets the priors; the app's default (emergency) unless told otherwise.
        var setting = CareSetting.Emergency;
        if (args is ["--setting", var value, .. var rest])
        {
            CareSetting? parsed = value switch
            {
                "emergency" => CareSetting.Emergency,
                "inpatient" => CareSetting.Inpatient,
                "primary-care" => CareSetting.PrimaryCare,
                _ => null,
            };
            if (parsed is null) args = ["--setting"];
            else (setting, args) = (parsed.Value, rest);
        }
        if (args.Length == 0 || args.Any(a => a.StartsWith('-')))
        {
            Console.Error.WriteLine("Usage: eval [--setting emergency|inpatient|primary-care] FOLDER|FILE...");
            Console.Error.WriteLine("  DDXPlus folder (release_conditions.json, release_evidences.json, patients CSV) or its CSV; vignette .jsonl files; a folder may hold several.");
            return Task.FromResult(2);
        }
        var stopwatch = Stopwatch.StartNew();
        List<Source> sources;
        try
        {
            sources = [.. args.Select(CommandLine.ResolveFromShell).SelectMany(Discover)];
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"eval: {e.Message}");
            return Task.FromResult(2);
        }
        if (sources.Count == 0)
        {
            Console.Error.WriteLine("eval: no DDXPlus data or vignette JSONL found in the given paths.");
            return Task.FromResult(2);
        }

        var options = new InferenceOptions { IntraOpThreads = 1 };
        options.ExecutionProviders.Add(ExecutionProvider.Cpu);
        using var runtime = new OrtRuntime(options);
        var rows = new List<(DatasetScore Engine, DatasetScore Prior)>();
        var registries = new List<ModelRegistry>();
        try
        {
            Lazy<(KnowledgeBase Kb, DifferentialEngine Engine, VignetteFindings Reader)> shipped = new(() =>
            {
                var kb = KnowledgeBase.LoadEmbedded();
                return (kb, CreateEngine(kb, runtime, registries), new VignetteFindings(kb));
            });
            foreach (var source in sources)
            {
                try
                {
                    if (source.Kind == SourceKind.DdxPlus) rows.Add(DdxPlus(source, runtime, registries));
                    else rows.Add(Vignettes(source.Path, shipped.Value.Kb, shipped.Value.Engine, shipped.Value.Reader, setting));
                }
                catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or KeyNotFoundException)
                {
                    Console.Error.WriteLine($"eval: {source.Path}: {e.Message}");
                    return Task.FromResult(1);
                }
            }
        }
        finally
        {
            foreach (var registry in registries)
            {
                registry.Dispose();
                TryDelete(registry.Directory);
            }
        }

        Print(rows);
        var all = rows.SelectMany(r => r.Engine.Cases).ToList();
        Console.WriteLine();
        Console.WriteLine($"Runtime {stopwatch.Elapsed.TotalSeconds.ToString("F1", Invariant)} s ({Environment.ProcessorCount} cores, ONNX Runtime 1 intra-op thread, batches of {Evaluator.BatchSize}).");
        Console.WriteLine(string.Create(Invariant,
            $"top1={RankingMetrics.TopKAccuracy(all, 1):F1} top3={RankingMetrics.TopKAccuracy(all, 3):F1} top10={RankingMetrics.TopKAccuracy(all, 10):F1} n={all.Count}"));
        return Task.FromResult(0);
    }

    private enum SourceKind { DdxPlus, Vignettes }

    private sealed record Source(SourceKind Kind, string Path, string? KbFolder = null);

    private static IEnumerable<Source> Discover(string path)
    {
        if (Directory.Exists(path))
        {
            var found = new List<Source>();
            var hasKb = File.Exists(System.IO.Path.Combine(path, DdxPlusData.ConditionsFile)) && File.Exists(System.IO.Path.Combine(path, DdxPlusData.EvidencesFile));
            foreach (var file in Directory.EnumerateFiles(path).Order(StringComparer.Ordinal))
            {
                if (hasKb && file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && DdxPlusData.IsPatientsCsv(file)) found.Add(new(SourceKind.DdxPlus, file, path));
                else if (file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) && VignetteReader.IsVignetteFile(file)) found.Add(new(SourceKind.Vignettes, file));
            }
            return found;
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist.");
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && DdxPlusData.IsPatientsCsv(path))
        {
            var folder = System.IO.Path.GetDirectoryName(path)!;
            if (!File.Exists(System.IO.Path.Combine(folder, DdxPlusData.ConditionsFile)) || !File.Exists(System.IO.Path.Combine(folder, DdxPlusData.EvidencesFile)))
                throw new InvalidDataException($"{System.IO.Path.GetFileName(path)}: a DDXPlus patients CSV needs {DdxPlusData.ConditionsFile} and {DdxPlusData.EvidencesFile} beside it.");
            return [new(SourceKind.DdxPlus, path, folder)];
        }
        if (VignetteReader.IsVignetteFile(path)) return [new(SourceKind.Vignettes, path)];
        throw new InvalidDataException($"{System.IO.Path.GetFileName(path)} is neither a DDXPlus patients CSV nor a vignette JSONL file.");
    }

    private static (DatasetScore, DatasetScore) DdxPlus(Source source, OrtRuntime runtime, List<ModelRegistry> registries)
    {
        var conditions = DdxPlusData.ReadConditions(System.IO.Path.Combine(source.KbFolder!, DdxPlusData.ConditionsFile));
        var evidences = DdxPlusData.ReadEvidences(System.IO.Path.Combine(source.KbFolder!, DdxPlusData.EvidencesFile));
        var patients = DdxPlusData.ReadPatients(source.Path);
        var (estimation, heldOut) = DdxPlusKnowledge.Split(patients);
        var kb = DdxPlusKnowledge.Build(conditions, evidences, estimation);
        var engine = CreateEngine(kb, runtime, registries);
        var cases = heldOut.Select(p => new EvaluationCase($"ddxplus-{p.Row}", p.Pathology, DdxPlusKnowledge.FindingsOf(p, kb), p.Differential)).ToList();
        var name = $"DDXPlus {System.IO.Path.GetFileNameWithoutExtension(source.Path)} (held-out odd rows; weights from {estimation.Count} even rows)";
        return (Evaluator.Score(name, engine, kb, cases, CareSetting.Emergency), Evaluator.PriorOnly(name, kb, cases, CareSetting.Emergency));
    }

    private static (DatasetScore, DatasetScore) Vignettes(string path, KnowledgeBase kb, DifferentialEngine engine, VignetteFindings reader, CareSetting setting)
    {
        var vignettes = VignetteReader.Read(path);
        var cases = vignettes.Select(v => new EvaluationCase(v.Id, v.GoldDiagnosis, reader.Extract(v))).ToList();
        var name = $"{Path.GetFileNameWithoutExtension(path)} ({setting}; shipped KB, phrase matcher)";
        return (Evaluator.Score(name, engine, kb, cases, setting), Evaluator.PriorOnly(name, kb, cases, setting));
    }

    private static DifferentialEngine CreateEngine(KnowledgeBase kb, OrtRuntime runtime, List<ModelRegistry> registries)
    {
        // One models folder per knowledge base: both compile to the same model id.
        var folder = Path.Combine(Path.GetTempPath(), $"clinicianportal-eval-{Environment.ProcessId}-{registries.Count}");
        var registry = new ModelRegistry(runtime, folder);
        registries.Add(registry);
        return DifferentialModelInstaller.CreateEngine(kb, registry);
    }

    private static void Print(List<(DatasetScore Engine, DatasetScore Prior)> rows)
    {
        Console.WriteLine($"{"dataset",-90} {"n",6} {"unmatched",9} {"top1",6} {"top3",6} {"top10",6}  findings/case (present, absent)");
        foreach (var (engine, prior) in rows)
        {
            Console.WriteLine(Row(engine.Name, engine) + string.Create(Invariant, $"  {engine.FindingsPerCase.Present:F1}, {engine.FindingsPerCase.Absent:F1}"));
            Console.WriteLine(Row("  prior only (no findings)", prior));
        }
        foreach (var (engine, prior) in rows.Where(r => r.Engine.Cases.Any(c => c.GoldDifferential is not null)))
        {
            Console.WriteLine();
            Console.WriteLine($"{engine.Name}: given all evidences at once. The paper's agents ask up to 30 questions interactively");
            Console.WriteLine("and were trained on the full training split; ours is the easier task, with weights from half of a 2,611-patient subset.");
            Console.WriteLine($"{"",-30} {"GTPA@1",7} {"GTPA@3",7} {"GTPA@5",7} {"DDR@5",7} {"DDP@5",7} {"DDF1@5",7}");
            foreach (var (label, score) in new[] { ("this engine", engine), ("prior only", prior) })
            {
                var dd = RankingMetrics.MeanDifferential(score.Cases, 5);
                Console.WriteLine(string.Create(Invariant, $"{label,-30} {RankingMetrics.GroundTruthPathologyAccuracy(score.Cases, 1),7:F2} {RankingMetrics.GroundTruthPathologyAccuracy(score.Cases, 3),7:F2} {RankingMetrics.GroundTruthPathologyAccuracy(score.Cases, 5),7:F2} {dd?.Recall ?? 0,7:F2} {dd?.Precision ?? 0,7:F2} {dd?.F1 ?? 0,7:F2}"));
            }
            foreach (var (agent, v) in PaperBaselines)
                Console.WriteLine(string.Create(Invariant, $"{agent,-30} {v[0],7:F2} {v[1],7:F2} {v[2],7:F2} {v[3],7:F2} {v[4],7:F2} {v[5],7:F2}"));
            Console.WriteLine(string.Create(Invariant,
                $"Differential sizes above 1 %: ours {engine.Cases.Average(c => c.Ranking.Count(r => r.Probability > RankingMetrics.DifferentialThreshold)):F1} conditions per patient, the dataset's {engine.Cases.Average(c => c.GoldDifferential!.Count(d => d.Probability > RankingMetrics.DifferentialThreshold)):F1}."));
        }
        foreach (var (engine, _) in rows.Where(r => r.Engine.Unmatched > 0))
        {
            Console.WriteLine();
            Console.WriteLine($"{engine.Name}: {engine.Unmatched} cases ({engine.UnmatchedGoldLabels.Count} distinct gold labels) match no KB condition by name or synonym; scored as misses. Most frequent:");
            Console.WriteLine("  " + string.Join("; ", engine.UnmatchedGoldLabels.Take(12).Select(u => $"{u.Key} ({u.Value})")));
            var matched = engine.Cases.Where(c => c.GoldConditionId is not null).ToList();
            Console.WriteLine(string.Create(Invariant, $"  On the {matched.Count} matched cases only: top1 {RankingMetrics.TopKAccuracy(matched, 1):F1}, top3 {RankingMetrics.TopKAccuracy(matched, 3):F1}, top10 {RankingMetrics.TopKAccuracy(matched, 10):F1}."));
        }
    }

    private static string Row(string name, DatasetScore s) => string.Create(Invariant,
        $"{(name.Length > 90 ? name[..87] + "..." : name),-90} {s.Cases.Count,6} {s.Unmatched,9} {RankingMetrics.TopKAccuracy(s.Cases, 1),6:F1} {RankingMetrics.TopKAccuracy(s.Cases, 3),6:F1} {RankingMetrics.TopKAccuracy(s.Cases, 10),6:F1}");

    private static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
