using System.Globalization;
using System.Text.Json;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Shared.Reasoning.Summary;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Shared.Reasoning.LanguageModel;

/// <summary>
/// The optional language-model orchestrator: after the deterministic review, a chat model drives the same
/// case tools with function calling and rewrites the summary as prose with [citation] markers. The prose
/// replaces the summary only if <see cref="SummaryGrounding"/> finds every sentence grounded in this record;
/// otherwise the deterministic summary stays and the rejection (sentence and reason) is kept in the review's
/// provenance, as is a failure (timeout, HTTP error, malformed stream). Only the summary can change: findings,
/// differential and next tests are the tools' (the ONNX engine's), never the model's text.
/// </summary>
public sealed partial class LanguageModelOrchestrator
{
    public const string Step = "language-model";
    public const string OrchestratorPrefix = "language-model:";

    private readonly IChatClient _chat;
    private readonly TimeSpan _timeout;
    private readonly int _maxToolRounds;
    private readonly ILogger _logger;

    /// <param name="model">The model name (provenance: "language-model:&lt;model&gt;").</param>
    /// <param name="timeout">The whole turn, all tool rounds included.</param>
    public LanguageModelOrchestrator(IChatClient chat, string model, TimeSpan timeout, int maxToolRounds = 8, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxToolRounds, 1);
        _chat = chat;
        Model = model;
        _timeout = timeout;
        _maxToolRounds = maxToolRounds;
        _logger = logger ?? NullLogger.Instance;
    }

    public string Model { get; }

    public string Name => OrchestratorPrefix + Model;

    /// <summary>
    /// Lets the model rewrite the summary of <paramref name="review"/>, which <paramref name="tools"/> produced.
    /// Never throws for what the model or the endpoint does; the caller's cancellation is honoured (OperationCanceledException).
    /// </summary>
    public async Task<CaseReviewResult> NarrateAsync(CaseReviewResult review, CaseTools tools, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(tools);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(Step);
        var steps = review.Steps.Append(Step).ToList();
        var toolCalls = new List<string>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);

        string prose;
        try
        {
            prose = await ConverseAsync(tools, toolCalls, progress, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed($"the language model did not finish within {_timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s");
        }
        catch (LanguageModelException e)
        {
            return Failed(e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The model is optional: whatever else goes wrong in its turn must not cost the physician the review.
            // The type only: a message could quote the exchanged text.
            return Failed($"the language-model turn failed ({e.GetType().Name})");
        }

        var summary = CitedProse.ToSummary(prose, tools.Record, review.Summary.Summary.AsOf, tools.Knowledge, Name);
        var rejections = summary.Sections.Sum(s => s.Sentences.Count) == 0
            ? [new ProseRejection(0, "the model wrote no summary")]
            : SummaryGrounding.Check(summary, tools.Record, tools.Knowledge).Issues.Select(i => new ProseRejection(i.Sentence + 1, i.Reason)).ToList();
        LogOutcome(_logger, rejections.Count == 0 ? "accepted" : "rejected", toolCalls.Count, rejections.Count);
        if (rejections.Count > 0)
        {
            return review with
            {
                Provenance = review.Provenance with { LanguageModel = new LanguageModelRun(Model, LanguageModelOutcome.Rejected, toolCalls, rejections, null, prose) },
                Steps = steps,
            };
        }
        return review with
        {
            Summary = new SummaryView(summary, []),
            Provenance = review.Provenance with
            {
                Orchestrator = Name,
                LanguageModel = new LanguageModelRun(Model, LanguageModelOutcome.Accepted, toolCalls, [], null, prose),
            },
            Steps = steps,
        };

        CaseReviewResult Failed(string reason)
        {
            LogOutcome(_logger, "failed", toolCalls.Count, 0);
            return review with
            {
                Provenance = review.Provenance with { LanguageModel = new LanguageModelRun(Model, LanguageModelOutcome.Failed, toolCalls, [], reason, null) },
                Steps = steps,
            };
        }
    }

    /// <summary>The function-calling loop: send, run the tools the model asks for, send their results, until it answers in text.</summary>
    private async Task<string> ConverseAsync(CaseTools tools, List<string> toolCalls, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var functions = tools.AsAIFunctions();
        var options = new ChatOptions { ModelId = Model, Tools = [.. functions], Temperature = 0 };
        List<ChatMessage> messages =
        [
            new(ChatRole.System, Instructions),
            new(ChatRole.User, string.Create(CultureInfo.InvariantCulture,
                $"Patient {tools.Record.Patient.Id}, review moment {tools.AsOf:yyyy-MM-dd HH:mm} UTC. Read the chart with the tools, then write the summary.")),
        ];
        for (var round = 0; round <= _maxToolRounds; round++)
        {
            var response = await _chat.GetResponseAsync(messages, options, cancellationToken);
            messages.AddRange(response.Messages);
            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (calls.Count == 0) return response.Text;
            if (round == _maxToolRounds) break;
            var results = new List<AIContent>();
            foreach (var call in calls)
            {
                toolCalls.Add(call.Name);
                progress?.Report(call.Name);
                results.Add(new FunctionResultContent(call.CallId, await InvokeAsync(functions, call, cancellationToken)));
            }
            messages.Add(new ChatMessage(ChatRole.Tool, results));
        }
        throw new LanguageModelException($"the model was still calling tools after {_maxToolRounds} rounds");
    }

    /// <summary>Runs one tool; a bad call (unknown tool, wrong arguments) is answered with the error, for the model to correct.</summary>
    private static async Task<object?> InvokeAsync(IReadOnlyList<AIFunction> functions, FunctionCallContent call, CancellationToken cancellationToken)
    {
        var function = functions.FirstOrDefault(f => f.Name == call.Name);
        if (function is null) return $"Error: there is no tool named '{call.Name}'. The tools are {string.Join(", ", functions.Select(f => f.Name))}.";
        try
        {
            return await function.InvokeAsync(new AIFunctionArguments(call.Arguments ?? new Dictionary<string, object?>()), cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or JsonException or InvalidOperationException or FormatException)
        {
            return "Error: " + e.Message;
        }
    }

    /// <summary>What the model is asked to do; the grounding check enforces the rules it states.</summary>
    public const string Instructions = """
        You write the chart summary a physician reads before seeing a patient. The chart is de-identified; you can read it
        only through the tools. Call summarize first; call get_timeline, extract_findings, rank_differential or
        find_evidence when you need more. Then answer with the summary as short clinical prose, nothing else.
        Rules, checked by a program that rejects your whole answer if one sentence breaks them:
        - End every sentence with the ids of the chart entries it rests on in square brackets, before the full stop:
          "Creatinine rose from 1.1 to 1.9 mg/dL [EV-AB12, EV-CD34]." Cite the patient id for age and sex.
        - Use only ids the tools returned. Every number and date must be a value, date or age from the entries you cite.
        - No headings, no lists, no sentence without a citation, nothing the tools did not show.
        - Do not state probabilities or rank diagnoses: the differential is shown from the model's own numbers.
        """;

    [LoggerMessage(Level = LogLevel.Information, Message = "Language-model summary {Outcome}: {ToolCalls} tool calls, {Rejections} rejected sentences")]
    private static partial void LogOutcome(ILogger logger, string outcome, int toolCalls, int rejections);
}
