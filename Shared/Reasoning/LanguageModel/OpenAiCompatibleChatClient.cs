using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Shared.Reasoning.LanguageModel;

/// <summary>
/// An <see cref="IChatClient"/> for an OpenAI-compatible Chat Completions endpoint (OpenAI, Azure AI Foundry, a
/// local model server): POST {endpoint}/chat/completions with the messages and the tools' JSON schemas, always
/// streamed (server-sent events). Content deltas come back as text updates; tool calls, whose id, name and
/// arguments arrive in fragments, come back whole as <see cref="FunctionCallContent"/> once the stream ends.
/// Any HTTP error, truncated or malformed stream is a <see cref="LanguageModelException"/>. Logs status codes
/// and durations only: the requests carry record excerpts.
/// </summary>
public sealed partial class OpenAiCompatibleChatClient : IChatClient
{
    private readonly HttpClient _http;
    private readonly LanguageModelOptions _options;
    private readonly Uri _uri;
    private readonly string? _apiKey;
    private readonly ILogger _logger;

    /// <param name="http">Used as is; its own timeout should be infinite (the caller's token bounds each call).</param>
    public OpenAiCompatibleChatClient(HttpClient http, LanguageModelOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is [var first, ..]) throw new ArgumentException($"The language model is misconfigured: {first}.", nameof(options));
        if (!options.IsConfigured) throw new ArgumentException("The language model has no Endpoint.", nameof(options));
        _http = http;
        _options = options;
        _uri = options.RequestUri();
        _apiKey = options.ResolveApiKey();
        _logger = logger ?? NullLogger.Instance;
    }

    public string Model => _options.Model!;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var request = new HttpRequestMessage(HttpMethod.Post, _uri)
        {
            Content = new StringContent(ChatCompletionsJson.Request(options?.ModelId ?? Model, messages, options), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (_apiKey is not null)
        {
            if (_options.Kind == LanguageModelKind.Azure) request.Headers.Add("api-key", _apiKey);
            else request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await SendAsync(request, cancellationToken);
        LogResponse(_logger, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (!response.IsSuccessStatusCode)
            throw new LanguageModelException($"the endpoint answered HTTP {(int)response.StatusCode}");

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body, Encoding.UTF8);
        var stream = new ChatCompletionsJson.StreamState();
        var done = false;
        while (await ReadLineAsync(reader, cancellationToken) is { } line)
        {
            // SSE: "data:" lines carry the chunks; comments (":"), event/id/retry fields and blank separators carry nothing we need.
            if (!line.StartsWith("data:", StringComparison.Ordinal)) continue;
            var data = line[5..].Trim();
            if (data == "[DONE]")
            {
                done = true;
                break;
            }
            if (stream.Read(data) is { } update) yield return update;
        }
        if (!done) throw new LanguageModelException("the stream ended before [DONE]");
        if (stream.ToolCalls() is { Count: > 0 } calls)
            yield return new ChatResponseUpdate(ChatRole.Assistant, calls) { ModelId = stream.ModelId, ResponseId = stream.ResponseId, FinishReason = ChatFinishReason.ToolCalls };
        LogStreamEnded(_logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new LanguageModelException($"the endpoint could not be reached ({e.HttpRequestError})", e);
        }
    }

    private static async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new LanguageModelException("the stream broke off", e);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        // The HttpClient belongs to the caller.
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Language model endpoint answered {StatusCode} after {ElapsedMs:0} ms")]
    private static partial void LogResponse(ILogger logger, int statusCode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Language model stream ended after {ElapsedMs:0} ms")]
    private static partial void LogStreamEnded(ILogger logger, double elapsedMs);
}
