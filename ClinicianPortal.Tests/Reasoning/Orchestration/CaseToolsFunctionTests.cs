using System.Text.Json;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using Microsoft.Extensions.AI;
using static ClinicianPortal.Tests.Reasoning.Orchestration.Charts;

namespace ClinicianPortal.Tests.Reasoning.Orchestration;

/// <summary>The tools as a chat client would call them: AIFunctions with JSON arguments and JSON results.</summary>
public sealed class CaseToolsFunctionTests(CaseReviewFixture fixture) : IClassFixture<CaseReviewFixture>
{
    private static async Task<string> InvokeAsync(CaseTools tools, string name, string argumentsJson = "{}")
    {
        var function = tools.AsAIFunctions().Single(f => f.Name == name);
        var arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>(argumentsJson)!;
        var result = await function.InvokeAsync(new AIFunctionArguments(arguments));
        return Assert.IsType<JsonElement>(result).GetRawText();
    }

    [Fact]
    public void The_tools_are_named_described_and_declare_their_parameters()
    {
        var functions = fixture.Reviewer.ToolsFor(SuspectedEmbolism()).AsAIFunctions();

        Assert.Equal(["get_timeline", "summarize", "extract_findings", "rank_differential", "find_evidence"], functions.Select(f => f.Name));
        Assert.All(functions, f => Assert.False(string.IsNullOrWhiteSpace(f.Description)));
        var evidence = functions.Single(f => f.Name == "find_evidence").JsonSchema;
        Assert.Contains("conditionId", evidence.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        var timeline = functions.Single(f => f.Name == "get_timeline").JsonSchema.GetProperty("properties");
        Assert.True(timeline.TryGetProperty("kind", out _) && timeline.TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task Each_tool_returns_through_InvokeAsync_what_the_direct_call_returns()
    {
        var tools = fixture.Reviewer.ToolsFor(SuspectedEmbolism());

        Assert.Equal(CaseReviewJson.Serialize(tools.GetTimeline(limit: 50)), await InvokeAsync(tools, "get_timeline"));
        Assert.Equal(CaseReviewJson.Serialize(tools.GetTimeline(Shared.Records.EventKind.Observation, Now.AddHours(-1.9), 2)),
            await InvokeAsync(tools, "get_timeline", $$"""{"kind":"observation","since":"{{Now.AddHours(-1.9):O}}","limit":2}"""));
        Assert.Equal(CaseReviewJson.Serialize(tools.Summarize()), await InvokeAsync(tools, "summarize"));
        Assert.Equal(CaseReviewJson.Serialize(tools.ExtractFindings()), await InvokeAsync(tools, "extract_findings"));
        Assert.Equal(CaseReviewJson.Serialize(tools.RankDifferential()), await InvokeAsync(tools, "rank_differential"));
        Assert.Equal(CaseReviewJson.Serialize(tools.FindEvidence("pulmonary-embolism")),
            await InvokeAsync(tools, "find_evidence", """{"conditionId":"pulmonary-embolism"}"""));
    }

    [Fact]
    public async Task Find_evidence_returns_supporting_passages_from_references_and_from_the_patients_notes()
    {
        var tools = fixture.Reviewer.ToolsFor(SuspectedEmbolism());

        using var json = JsonDocument.Parse(await InvokeAsync(tools, "find_evidence", """{"conditionId":"pulmonary-embolism"}"""));

        var passages = json.RootElement.GetProperty("passages").EnumerateArray().ToList();
        var references = passages.Where(p => p.GetProperty("source").GetString() == "reference").ToList();
        var chart = passages.Where(p => p.GetProperty("source").GetString() == "chart").ToList();
        Assert.NotEmpty(references);
        Assert.All(references, p => Assert.True(p.GetProperty("paraphrase").GetBoolean()));
        // The emergency note's first sentence: sudden pleuritic chest pain and shortness of breath.
        var note = Assert.Single(chart);
        Assert.Equal("note-ed", note.GetProperty("sourceId").GetString());
        Assert.Contains("pleuritic chest pain", note.GetProperty("text").GetString(), StringComparison.Ordinal);
        var scores = passages.Select(p => p.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
    }

    [Fact]
    public async Task A_timeline_filter_by_kind_and_limit_returns_the_newest_matching_events_and_their_total()
    {
        var tools = fixture.Reviewer.ToolsFor(SuspectedEmbolism());

        using var json = JsonDocument.Parse(await InvokeAsync(tools, "get_timeline", """{"kind":"observation","limit":2}"""));

        Assert.Equal(3, json.RootElement.GetProperty("total").GetInt32());
        // Newest first; the heart rate and the saturation were taken together, so ids break the tie.
        Assert.Equal(["obs-dd", "obs-hr"], json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.All(json.RootElement.GetProperty("events").EnumerateArray(), e => Assert.Equal("observation", e.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Asking_evidence_for_an_unknown_condition_fails_with_a_message_a_model_can_act_on()
    {
        var tools = fixture.Reviewer.ToolsFor(SuspectedEmbolism());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => InvokeAsync(tools, "find_evidence", """{"conditionId":"no-such-condition"}"""));
        Assert.Contains("not a condition of the knowledge base", error.Message);
    }
}
