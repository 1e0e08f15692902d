using System.Diagnostics;
using ClinicianPortal.CaseReview;
using ClinicianPortal.Import;

namespace ClinicianPortal.Cli;

/// <summary>
/// `bench case-review FILE|DIR [--runs N]`: the deterministic case review (no language model) of every patient in the
/// FHIR files, read in memory as the `review` command does: median and p90 of N runs after a warm-up, beside finding
/// extraction alone (the reference: the review's first step, on the same record in the same run).
/// </summary>
public static class CaseReviewBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = 30;
        if (args.Length is not (1 or 3) || (args.Length == 3 && (args[1] != "--runs" || !int.TryParse(args[2], out runs) || runs < 1)))
        {
            await Console.Error.WriteLineAsync("Usage: bench case-review FILE|DIR [--runs N]   (e.g. bench case-review ClinicianPortal/SampleData)");
            return 2;
        }
        var files = ImportService.CollectFiles([CommandLine.ResolveFromShell(args[0])]);
        if (files.Count == 0)
        {
            await Console.Error.WriteLineAsync($"bench case-review: no FHIR files at '{args[0]}'");
            return 2;
        }
        var records = await TransientRecords.ReadAsync([.. files.Select(f => new TransientFile(Path.GetFileName(f), () => File.OpenRead(f)))]);

        return await ReviewCommand.WithReviewerAsync("bench case-review", (reviewer, extractor, host) =>
        {
            Console.WriteLine($"Case review (deterministic, {host.Runtime!.ExecutionProviders.Selected}), {runs} runs per patient after a warm-up; {Environment.ProcessorCount} cores; load average {BenchCommand.LoadAverage()}");
            Console.WriteLine($"{"patient",-12} {"events",7} {"findings median ms",19} {"review median ms",17} {"review p90 ms",14}  top candidate");
            var allReviews = new List<double>();
            var allFindings = new List<double>();
            foreach (var record in records)
            {
                var review = reviewer.Review(record); // warm-up
                var findings = Time(runs, () => extractor.Extract(record));
                var reviews = Time(runs, () => reviewer.Review(record));
                allFindings.AddRange(findings);
                allReviews.AddRange(reviews);
                Console.WriteLine($"{record.Patient.Id[..Math.Min(12, record.Patient.Id.Length)],-12} {record.Events.Count,7} {Median(findings),19:F2} {Median(reviews),17:F2} {Percentile(reviews, 0.9),14:F2}  {review.Differential.FirstOrDefault()?.Name}");
            }
            Console.WriteLine($"{"all",-12} {records.Sum(r => r.Events.Count),7} {Median(allFindings),19:F2} {Median(allReviews),17:F2} {Percentile(allReviews, 0.9),14:F2}");
            return Task.FromResult(0);
        });
    }

    private static List<double> Time(int runs, Action action)
    {
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return times;
    }

    private static double Median(List<double> times) => Percentile(times, 0.5);

    private static double Percentile(List<double> times, double p)
    {
        var sorted = times.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];
    }
}
