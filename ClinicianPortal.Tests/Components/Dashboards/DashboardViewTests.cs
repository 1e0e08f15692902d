using System.Text.Json;
using System.Text.RegularExpressions;
using ClinicianPortal.Components.Dashboards;
using ClinicianPortal.Dashboards;
using ClinicianPortal.Tests.Dashboards;
using ClinicianPortal.Tests.Data;

namespace ClinicianPortal.Tests.Components.Dashboards;

/// <summary>The dashboard's markup (static render) for numbers read from a real database, and its empty state.</summary>
public sealed class DashboardViewTests
{
    private static async Task<ValidationDashboard> SeededDashboardAsync()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite");
        await DashboardData.SeedAsync(db.Dialect, db.Store);
        return await new DashboardReader(db.Dialect, db.Store, new ClinicianPortal.Validation.ValidationOptions()).ReadAsync(new DashboardQuery(DashboardData.ModelId, DashboardData.Version));
    }

    private static async Task<string> RenderAsync(ValidationDashboard dashboard)
    {
        await using var renderer = new StaticRenderer();
        return await renderer.RenderAsync<DashboardView>(new() { [nameof(DashboardView.Dashboard)] = dashboard });
    }

    /// <summary>The text of a table row's cells, e.g. "unsafe | 2 | 1".</summary>
    private static string Row(string html, string testId)
    {
        var row = Regex.Match(html, $"<tr[^>]*data-testid=\"{testId}\"[^>]*>(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, $"no row {testId}");
        return string.Join(" | ", Regex.Matches(row.Groups[1].Value, "<t[hd][^>]*>([^<]*)</t[hd]>").Select(m => StaticRenderer.Decoded(m.Groups[1].Value)));
    }

    [Fact]
    public async Task The_page_shows_the_hand_computed_numbers()
    {
        var html = await RenderAsync(await SeededDashboardAsync());

        Assert.Equal("5", StaticRenderer.TextOf(html, "dashboard-sampled"));
        Assert.Equal("4", StaticRenderer.TextOf(html, "dashboard-rated"));
        Assert.Equal("3", StaticRenderer.TextOf(html, "dashboard-fully-rated"));
        Assert.Equal("3", StaticRenderer.TextOf(html, "dashboard-raters"));
        Assert.Equal("1 rated output(s) still need a second validator.", StaticRenderer.TextOf(html, "dashboard-underrated"));
        // Accurate: mean 3.666667, 95% CI [1.947949, 5.385384] cut at 5, κ 2/3 over 2 outputs, α 65/119 = 0.546 over 3 (DashboardData.Expected).
        Assert.Equal("Accurate | 4 | 3.67 | 1.95 – 5.00 | 0.67 (n = 2) | 0.55 (n = 3)", Row(html, "score-row-accurate"));
        // Harm: per-output means A 1.5, B 3.5, C 1, D 1 → 1.75; s² = (0.0625 + 3.0625 + 0.5625 + 0.5625) / 3, s = 1.190238,
        // half-width 3.182446 · 1.190238 / 2 = 1.893935 → [−0.14, 3.64], cut at the scale's bottom: 1.
        // κ over (1,2), (4,3): observed 1/16; expected .25 · (1 + 4 + 4 + 1)/16 = 10/64; κ = 1 − 4/10 = 0.6.
        // α over {1,2}, {4,3}, {1,1,1}: o11 = 3·2/2 = 3, o12 = o21 = 1, o34 = o43 = 1; n1 = 4, n2 = n3 = n4 = 1, n = 7.
        // Ordinal δ²: 12 = (5 − 2.5)² = 6.25, 13 = 3.5² = 12.25, 14 = 4.5² = 20.25, 23 = 1, 24 = 2² = 4, 34 = 1.
        // Σ o·δ² = 2·6.25 + 2·1 = 14.5; Σ n·n·δ² = 2·(25 + 49 + 81 + 1 + 4 + 1) = 322; α = 1 − 6·14.5/322 = 235/322 = 0.73.
        Assert.Equal("Potential for harm | 4 | 1.75 | 1.00 – 3.64 | 0.60 (n = 2) | 0.73 (n = 3)", Row(html, "score-row-harm"));
        Assert.Equal("Cited | 0 | — | — | — | —", Row(html, "score-row-cited"));
        Assert.Equal("1 of 4", StaticRenderer.TextOf(html, "harm-flagged"));
        Assert.Equal("25.0% (95% CI 4.6% – 69.9%)", StaticRenderer.TextOf(html, "harm-rate"));
        Assert.Equal("2", StaticRenderer.TextOf(html, "harm-flag-ratings"));
        Assert.Equal("2026-11-20 | 6 | 4.00 | 2.00", Row(html, "trend-row-2026-11-20"));
        Assert.Equal("2026-11-21 | 2 | 3.50 | 1.00", Row(html, "trend-row-2026-11-21"));
        Assert.Equal("unsafe | 2 | 1", Row(html, "verdict-unsafe"));
        Assert.Equal("disagree | 1 | 1", Row(html, "verdict-disagree"));
        foreach (var chart in new[] { "means-chart", "trend-chart", "verdict-chart" })
            Assert.Contains($"data-testid=\"{chart}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("dashboard-empty", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_rated_yet_shows_the_empty_state_and_no_tables()
    {
        var dashboard = ValidationDashboard.From(new DashboardQuery("m", "1"), ratersRequired: 2, sampledOutputs: 3, ratings: [], verdicts: []);
        var html = await RenderAsync(dashboard);

        Assert.Contains("No rated outputs yet: sample outputs on the", StaticRenderer.TextOf(html, "dashboard-empty"), StringComparison.Ordinal);
        Assert.Contains("href=\"validation\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("scores-table", html, StringComparison.Ordinal);
        Assert.DoesNotContain("means-chart", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"verdicts-empty\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_means_chart_draws_each_interval_as_its_error_bar()
    {
        var dashboard = await SeededDashboardAsync();
        using var figure = JsonDocument.Parse(DashboardCharts.Means(dashboard).Json);
        var quality = figure.RootElement.GetProperty("data").EnumerateArray().Single(t => t.GetProperty("name").GetString()!.StartsWith("Quality", StringComparison.Ordinal));

        // Only scored dimensions are drawn; accurate's bar runs from its lower to its upper 95% limit.
        Assert.Equal(["Accurate"], quality.GetProperty("x").EnumerateArray().Select(x => x.GetString()));
        var mean = quality.GetProperty("y")[0].GetDouble();
        Assert.Equal(DashboardData.Expected.AccurateMean, mean, 5);
        Assert.Equal(DashboardData.Expected.AccurateUpper, mean + quality.GetProperty("error_y").GetProperty("array")[0].GetDouble(), 5);
        Assert.Equal(DashboardData.Expected.AccurateLower, mean - quality.GetProperty("error_y").GetProperty("arrayminus")[0].GetDouble(), 5);
    }
}
