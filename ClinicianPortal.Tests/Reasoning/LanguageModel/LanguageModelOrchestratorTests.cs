using System.Diagnostics;
using System.Text.Json.Nodes;
using ClinicianPortal.Shared.Reasoning.LanguageModel;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Reasoning.Orchestration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace ClinicianPortal.Tests.Reasoning.LanguageModel;

/// <summary>
/// The language-model orchestrator over the real case tools (real extractor, real ONNX model) of a suspected
/// pulmonary embolism, talking to a fake OpenAI-compatible server on loopback.
/// </summary>
public sealed class LanguageModelOrchestratorTests(CaseReviewFixture fixture) : IClassFixture<CaseReviewFixture>
{
    private const string Model = "test-model";

    private async Task<(CaseReviewResult Deterministic, CaseReviewResult Narrated)> NarrateAsync(FakeChatServer server,
        TimeSpan? timeout = null, int maxToolRounds = 8, CancellationToken cancellationToken = default, ILogger? logger = null)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var chat = new OpenAiCompatibleChatClient(http, new LanguageModelOptions { Endpoint = server.Endpoint.ToString(), Model = Model, ApiKey = "sk-test" }, logger);
        return await NarrateAsync(chat, timeout, maxToolRounds, cancellationToken, logger);
    }

    private async Task<(CaseReviewResult Deterministic, CaseReviewResult Narrated)> NarrateAsync(IChatClient chat,
        TimeSpan? timeout = null, int maxToolRounds = 8, CancellationToken cancellationToken = default, ILogger? logger = null)
    {
        var tools = fixture.Reviewer.ToolsFor(Charts.SuspectedEmbolism());
        var review = fixture.Reviewer.Review(tools);
        var orchestrator = new LanguageModelOrchestrator(chat, Model, timeout ?? TimeSpan.FromSeconds(30), maxToolRounds, logger);
        return (review, await orchestrator.NarrateAsync(review, tools, cancellationToken: cancellationToken));
    }

    private static string Json<T>(T value) => CaseReviewJson.Serialize(value);

    /// <summary>The review apart from its summary, provenance and steps: what the model must never change.</summary>
    private static void AssertOnlyTheSummaryMayDiffer(CaseReviewResult deterministic, CaseReviewResult narrated)
    {
        Assert.Equal(Json(deterministic.Differential), Json(narrated.Differential));
        Assert.Equal(Json(deterministic.Findings), Json(narrated.Findings));
        Assert.Equal(Json(deterministic.NextTests), Json(narrated.NextTests));
        Assert.Equal(deterministic.Provenance.Models, narrated.Provenance.Models);
        Assert.Equal(deterministic.Provenance.InputsSha256, narrated.Provenance.InputsSha256);
        Assert.Equal([.. deterministic.Steps, LanguageModelOrchestrator.Step], narrated.Steps);
    }

    private static void AssertDeterministicSummaryShown(CaseReviewResult deterministic, CaseReviewResult narrated)
    {
        Assert.Same(deterministic.Summary, narrated.Summary);
        Assert.Equal(CaseReviewer.Deterministic, narrated.Provenance.Orchestrator);
        AssertOnlyTheSummaryMayDiffer(deterministic, narrated);
    }

    [Fact]
    public async Task The_model_drives_the_tools_gets_their_results_back_and_its_grounded_prose_becomes_the_summary()
    {
        await using var server = await FakeChatServer.StartAsync(
            FakeChatServer.ToolCalls(("call_1", CaseTools.SummaryTool, "{}"), ("call_2", CaseTools.DifferentialTool, "{}")),
            // The second round asks for the evidence of the candidate the ranking it was sent puts first.
            (context, request) =>
            {
                var top = (string)JsonNode.Parse(request.ToolResults["call_2"])!["candidates"]![0]!["conditionId"]!;
                return FakeChatServer.ToolCalls(("call_3", CaseTools.EvidenceTool, $$"""{"conditionId":"{{top}}"}"""))(context, request);
            },
            FakeChatServer.TextFrom(request => FakeChatServer.ProseFromSummary(request.ToolResults["call_1"])));

        var (deterministic, narrated) = await NarrateAsync(server);

        Assert.Equal(3, server.Requests.Count);
        var offered = server.Requests[0].Body["tools"]!.AsArray().Select(t => (string?)t!["function"]!["name"]);
        Assert.Equal([CaseTools.TimelineTool, CaseTools.SummaryTool, CaseTools.FindingsTool, CaseTools.DifferentialTool, CaseTools.EvidenceTool], offered);
        // What the tools returned is what went back, answering each call id.
        var round2 = server.Requests[1].ToolResults;
        Assert.Equal(["call_1", "call_2"], round2.Keys);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Json(deterministic.Summary)), JsonNode.Parse(round2["call_1"])));
        Assert.Equal(deterministic.Differential[0].ConditionId, (string?)JsonNode.Parse(round2["call_2"])!["candidates"]![0]!["conditionId"]);
        var evidence = JsonNode.Parse(server.Requests[2].ToolResults["call_3"])!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Json(deterministic.Differential[0])), evidence));

        Assert.Equal(LanguageModelOrchestrator.OrchestratorPrefix + Model, narrated.Provenance.Orchestrator);
        var run = narrated.Provenance.LanguageModel!;
        Assert.Equal((Model, LanguageModelOutcome.Accepted, null), (run.Model, run.Outcome, run.Failure));
        Assert.Equal([CaseTools.SummaryTool, CaseTools.DifferentialTool, CaseTools.EvidenceTool], run.ToolCalls);
        Assert.Empty(run.Rejections);
        Assert.Equal(FakeChatServer.ProseFromSummary(round2["call_1"]), run.Prose);
        // The prose is the summary now: the same statements with the same citations, in one narrative section.
        Assert.True(narrated.Summary.Grounded);
        var section = Assert.Single(narrated.Summary.Summary.Sections);
        Assert.Equal(CitedProse.SectionKey, section.Key);
        var before = deterministic.Summary.Summary.Sections.SelectMany(s => s.Sentences).ToList();
        Assert.Equal(before.Select(s => s.Citations.Select(c => c.Id)), section.Sentences.Select(s => s.Citations.Select(c => c.Id)));
        Assert.Equal(before.Select(s => s.Text.TrimEnd('.') + "."), section.Sentences.Select(s => s.Text));
        Assert.NotSame(deterministic.Summary, narrated.Summary);
        AssertOnlyTheSummaryMayDiffer(deterministic, narrated);
    }

    public static TheoryData<string, string, string> UngroundedProse => new()
    {
        // what is added after the grounded prose, the reason the check gives, the sentence's number relative to the added one
        { "Pulmonary embolism is confirmed [EV-NOT-IN-CHART].", "cites entry 'EV-NOT-IN-CHART', which is not in the record", "0" },
        { "The picture is worrying.", "the sentence cites no chart entry", "0" },
        { "Pulmonary embolism is 87% likely [obs-dd].", "the number 87 is not supported by the cited entries", "0" },
        { "Heart rate 118/min [obs-hr]. Seen on 2026-03-01 [obs-hr].", "the date 2026-03-01 is not a date of a cited entry", "1" },
    };

    [Theory]
    [MemberData(nameof(UngroundedProse))]
    public async Task Prose_with_an_invented_citation_an_uncited_sentence_or_an_unsupported_number_is_rejected_with_the_sentence_and_reason(
        string added, string reason, string offset)
    {
        await using var server = await FakeChatServer.StartAsync(
            FakeChatServer.ToolCalls(("call_1", CaseTools.SummaryTool, "{}")),
            FakeChatServer.TextFrom(request => FakeChatServer.ProseFromSummary(request.ToolResults["call_1"]) + added));

        var (deterministic, narrated) = await NarrateAsync(server);

        AssertDeterministicSummaryShown(deterministic, narrated);
        var run = narrated.Provenance.LanguageModel!;
        Assert.Equal(LanguageModelOutcome.Rejected, run.Outcome);
        var sentences = deterministic.Summary.Summary.Sections.Sum(s => s.Sentences.Count);
        Assert.Equal([new ProseRejection(sentences + 1 + int.Parse(offset, System.Globalization.CultureInfo.InvariantCulture), reason)], run.Rejections);
        Assert.EndsWith(added, run.Prose, StringComparison.Ordinal);
        Assert.Equal([CaseTools.SummaryTool], run.ToolCalls);
    }

    [Fact]
    public async Task An_empty_answer_is_rejected_as_no_summary()
    {
        await using var server = await FakeChatServer.StartAsync(FakeChatServer.Text("  \n"));

        var (deterministic, narrated) = await NarrateAsync(server);

        AssertDeterministicSummaryShown(deterministic, narrated);
        Assert.Equal([new ProseRejection(0, "the model wrote no summary")], narrated.Provenance.LanguageModel!.Rejections);
    }

    [Fact]
    public async Task Unknown_tools_and_bad_arguments_are_answered_with_the_error_so_the_model_can_go_on()
    {
        await using var server = await FakeChatServer.StartAsync(
            FakeChatServer.ToolCalls(("c1", "order_ct", "{}"), ("c2", CaseTools.EvidenceTool, """{"conditionId":"no-such-condition"}"""), ("c3", CaseTools.SummaryTool, "{}")),
            FakeChatServer.TextFrom(request => FakeChatServer.ProseFromSummary(request.ToolResults["c3"])));

        var (_, narrated) = await NarrateAsync(server);

        var results = server.Requests[1].ToolResults;
        Assert.StartsWith("Error: there is no tool named 'order_ct'", results["c1"], StringComparison.Ordinal);
        Assert.Contains("'no-such-condition' is not a condition of the knowledge base", results["c2"], StringComparison.Ordinal);
        Assert.Equal(LanguageModelOutcome.Accepted, narrated.Provenance.LanguageModel!.Outcome);
    }

    public static TheoryData<string, string> Failures => new()
    {
        { "500", "the endpoint answered HTTP 500" },
        { "503", "the endpoint answered HTTP 503" },
        { "garbage", "malformed stream: a data line is not JSON" },
        { "truncated", "the stream ended before [DONE]" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Http_errors_and_malformed_streams_fall_back_to_the_deterministic_summary_with_the_reason(string failure, string reason)
    {
        var reply = failure switch
        {
            "garbage" => FakeChatServer.Events(["{\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}", "{garbage"]),
            "truncated" => FakeChatServer.Events(FakeChatServer.TextChunks("Heart rate 118/min [obs-hr]."), done: false),
            _ => FakeChatServer.Status(int.Parse(failure, System.Globalization.CultureInfo.InvariantCulture)),
        };
        // The failure comes in the second round, after a tool call that is recorded.
        await using var server = await FakeChatServer.StartAsync(FakeChatServer.ToolCalls(("call_1", CaseTools.SummaryTool, "{}")), reply);

        var (deterministic, narrated) = await NarrateAsync(server);

        AssertDeterministicSummaryShown(deterministic, narrated);
        var run = narrated.Provenance.LanguageModel!;
        Assert.Equal((Model, LanguageModelOutcome.Failed, reason, (string?)null), (run.Model, run.Outcome, run.Failure, run.Prose));
        Assert.Equal([CaseTools.SummaryTool], run.ToolCalls);
        Assert.Empty(run.Rejections);
    }

    [Fact]
    public async Task A_server_that_stops_answering_falls_back_when_the_timeout_passes()
    {
        await using var server = await FakeChatServer.StartAsync(FakeChatServer.Hang);
        var clock = Stopwatch.StartNew();

        var (deterministic, narrated) = await NarrateAsync(server, timeout: TimeSpan.FromSeconds(1));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        AssertDeterministicSummaryShown(deterministic, narrated);
        Assert.Equal((LanguageModelOutcome.Failed, "the language model did not finish within 1 s"),
            (narrated.Provenance.LanguageModel!.Outcome, narrated.Provenance.LanguageModel.Failure));
    }

    [Fact]
    public async Task The_callers_cancellation_ends_the_turn_at_once_instead_of_falling_back()
    {
        await using var server = await FakeChatServer.StartAsync(FakeChatServer.Hang);
        using var leaving = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NarrateAsync(server, timeout: TimeSpan.FromSeconds(120), cancellationToken: leaving.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_model_that_keeps_calling_tools_falls_back_after_the_allowed_rounds()
    {
        var call = FakeChatServer.ToolCalls(("call", CaseTools.TimelineTool, """{"limit":1}"""));
        await using var server = await FakeChatServer.StartAsync(call, call, call, call);

        var (deterministic, narrated) = await NarrateAsync(server, maxToolRounds: 2);

        AssertDeterministicSummaryShown(deterministic, narrated);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal("the model was still calling tools after 2 rounds", narrated.Provenance.LanguageModel!.Failure);
        Assert.Equal([CaseTools.TimelineTool, CaseTools.TimelineTool], narrated.Provenance.LanguageModel.ToolCalls);
    }

    [Fact]
    public async Task Logs_hold_status_codes_durations_and_counts_and_nothing_of_the_record_or_the_prose()
    {
        await using var server = await FakeChatServer.StartAsync(
            FakeChatServer.ToolCalls(("call_1", CaseTools.SummaryTool, "{}")),
            FakeChatServer.TextFrom(request => FakeChatServer.ProseFromSummary(request.ToolResults["call_1"]) + "Chest pain noted [EV-INVENTED]."),
            FakeChatServer.Status(500));
        using var logs = new CapturingLoggerProvider();
        var logger = logs.CreateLogger("ClinicianPortal.LanguageModel");

        var (_, rejected) = await NarrateAsync(server, logger: logger);
        var (_, failed) = await NarrateAsync(server, logger: logger);

        Assert.Equal(LanguageModelOutcome.Rejected, rejected.Provenance.LanguageModel!.Outcome);
        Assert.Equal(LanguageModelOutcome.Failed, failed.Provenance.LanguageModel!.Outcome);
        Assert.Contains("answered 200 after", logs.Text, StringComparison.Ordinal);
        Assert.Contains("answered 500 after", logs.Text, StringComparison.Ordinal);
        Assert.Contains("Language-model summary rejected: 1 tool calls, 1 rejected sentences", logs.Text, StringComparison.Ordinal);
        foreach (var secret in new[] { "PT-TEST", "obs-hr", "EV-INVENTED", "Chest pain", "PT-SECRET-PHI", "sk-test" })
            Assert.DoesNotContain(secret, logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_error_in_the_chat_client_falls_back_naming_only_its_type()
    {
        var (deterministic, narrated) = await NarrateAsync(new ThrowingChatClient());

        AssertDeterministicSummaryShown(deterministic, narrated);
        Assert.Equal("the language-model turn failed (NotSupportedException)", narrated.Provenance.LanguageModel!.Failure);
    }

    /// <summary>A chat client with a bug: it throws what no connector should.</summary>
    private sealed class ThrowingChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("record text PT-TEST would be here");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }
}
