using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClinicianPortal.Tests.Reasoning.LanguageModel;

/// <summary>One POST the fake server received: path, query, headers and the JSON body.</summary>
public sealed record ChatRequest(string Path, string Query, IReadOnlyDictionary<string, string> Headers, JsonNode Body)
{
    public JsonArray Messages => Body["messages"]!.AsArray();

    /// <summary>The tool messages of this request, by the call id they answer.</summary>
    public Dictionary<string, string> ToolResults =>
        Messages.Where(m => (string?)m!["role"] == "tool").ToDictionary(m => (string)m!["tool_call_id"]!, m => (string)m!["content"]!);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A fake OpenAI-compatible Chat Completions server on loopback (Kestrel, 127.0.0.1, a free port): each POST gets the
/// next scripted reply, which may read the request (e.g. to write prose from the tool results sent back). Replies
/// stream server-sent events in small chunks with flushes between them, as real servers do.
/// </summary>
public sealed class FakeChatServer : IAsyncDisposable
{
    public delegate Task Reply(HttpContext context, ChatRequest request);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Reply> _replies;
    private readonly ConcurrentQueue<ChatRequest> _requests = new();

    private FakeChatServer(WebApplication app, IEnumerable<Reply> replies)
    {
        _app = app;
        _replies = new ConcurrentQueue<Reply>(replies);
    }

    /// <summary>The base address to configure as the endpoint: http://127.0.0.1:port/v1.</summary>
    public Uri Endpoint { get; private set; } = default!;

    public IReadOnlyList<ChatRequest> Requests => [.. _requests];

    public static async Task<FakeChatServer> StartAsync(params Reply[] replies)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeChatServer(app, replies);
        app.MapPost("/{**path}", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body) ?? throw new InvalidOperationException("empty body");
        var request = new ChatRequest(context.Request.Path, context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
        _requests.Enqueue(request);
        if (!_replies.TryDequeue(out var reply))
        {
            context.Response.StatusCode = StatusCodes.Status418ImATeapot; // the test scripted fewer replies than the client asked for
            return;
        }
        await reply(context, request);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ---- scripted replies ----

    /// <summary>The given data lines as server-sent events, each flushed on its own, then [DONE] unless told not to.</summary>
    public static Reply Events(IEnumerable<string> data, bool done = true) => async (context, _) =>
    {
        context.Response.ContentType = "text/event-stream";
        await context.Response.WriteAsync(": keep-alive comment, ignored\n\n");
        foreach (var line in data)
        {
            await context.Response.WriteAsync("data: " + line + "\n\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(2);
        }
        if (done) await context.Response.WriteAsync("data: [DONE]\n\n");
    };

    /// <summary>Text content streamed in pieces of a few characters.</summary>
    public static Reply Text(string content) => (context, request) => Events(TextChunks(content), done: true)(context, request);

    /// <summary>Text written from the request (e.g. from the tool results sent back).</summary>
    public static Reply TextFrom(Func<ChatRequest, string> content) => (context, request) => Text(content(request))(context, request);

    /// <summary>Tool calls streamed as real servers do: id and name first, the arguments in fragments, calls interleaved by index.</summary>
    public static Reply ToolCalls(params (string Id, string Name, string Arguments)[] calls) => Events(ToolCallChunks(calls));

    public static Reply Status(int status) => async (context, _) =>
    {
        context.Response.StatusCode = status;
        // A body that echoes the request, as some servers do: it must never reach an exception message.
        await context.Response.WriteAsync("{\"error\":{\"message\":\"upstream failed for PT-SECRET-PHI\"}}");
    };

    /// <summary>Starts streaming and then sends nothing more until the client goes away.</summary>
    public static Reply Hang => async (context, _) =>
    {
        context.Response.ContentType = "text/event-stream";
        await context.Response.WriteAsync(": thinking\n\n");
        await context.Response.Body.FlushAsync();
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, as it should.
        }
    };

    public static IEnumerable<string> TextChunks(string content)
    {
        yield return Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" });
        for (var i = 0; i < content.Length; i += 7)
            yield return Chunk(new JsonObject { ["content"] = content.Substring(i, Math.Min(7, content.Length - i)) });
        yield return Chunk(new JsonObject(), "stop");
    }

    public static IEnumerable<string> ToolCallChunks(IReadOnlyList<(string Id, string Name, string Arguments)> calls)
    {
        yield return Chunk(new JsonObject { ["role"] = "assistant", ["content"] = null });
        for (var index = 0; index < calls.Count; index++)
        {
            yield return Chunk(new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject
            {
                ["index"] = index, ["id"] = calls[index].Id, ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = calls[index].Name, ["arguments"] = "" },
            }) });
        }
        // The arguments in fragments of 3 characters, the calls interleaved.
        var longest = calls.Max(c => c.Arguments.Length);
        for (var at = 0; at < longest; at += 3)
        {
            for (var index = 0; index < calls.Count; index++)
            {
                var arguments = calls[index].Arguments;
                if (at >= arguments.Length) continue;
                yield return Chunk(new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["index"] = index, ["function"] = new JsonObject { ["arguments"] = arguments.Substring(at, Math.Min(3, arguments.Length - at)) },
                }) });
            }
        }
        yield return Chunk(new JsonObject(), "tool_calls");
    }

    private static string Chunk(JsonObject delta, string? finish = null) => new JsonObject
    {
        ["id"] = "chatcmpl-fake",
        ["object"] = "chat.completion.chunk",
        ["model"] = "fake-model",
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
    }.ToJsonString();

    /// <summary>
    /// Prose a careful model would write from the summarize result it was sent: each sentence of the grounded
    /// summary with its citations as [id] markers before the full stop.
    /// </summary>
    public static string ProseFromSummary(string summarizeResult)
    {
        using var view = JsonDocument.Parse(summarizeResult);
        var prose = new StringBuilder();
        foreach (var section in view.RootElement.GetProperty("summary").GetProperty("sections").EnumerateArray())
        {
            foreach (var sentence in section.GetProperty("sentences").EnumerateArray())
            {
                var text = sentence.GetProperty("text").GetString()!.TrimEnd('.');
                var ids = sentence.GetProperty("citations").EnumerateArray().Select(c => c.GetProperty("id").GetString());
                prose.Append(text).Append(" [").AppendJoin(", ", ids).Append("]. ");
            }
            prose.Append('\n');
        }
        return prose.ToString();
    }
}
