using System.Text.Json;
using ClinicianPortal.Shared.Reasoning.LanguageModel;
using Microsoft.Extensions.AI;

namespace ClinicianPortal.Tests.Reasoning.LanguageModel;

/// <summary>The Chat Completions client against a fake OpenAI-compatible server on loopback: streaming, tool calls, auth, errors.</summary>
public sealed class OpenAiCompatibleChatClientTests
{
    private static OpenAiCompatibleChatClient Client(HttpClient http, FakeChatServer server, Action<LanguageModelOptions>? configure = null)
    {
        var options = new LanguageModelOptions { Endpoint = server.Endpoint.ToString(), Model = "test-model", ApiKey = "sk-test-key" };
        configure?.Invoke(options);
        return new OpenAiCompatibleChatClient(http, options);
    }

    private static readonly ChatMessage[] Hello = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Say hello.")];

    [Fact]
    public async Task Streamed_content_deltas_are_joined_into_one_answer_and_the_request_is_a_streaming_chat_completion_with_a_bearer_key()
    {
        await using var server = await FakeChatServer.StartAsync(FakeChatServer.Text("Hello, the patient is 65 [PT-1]. Fine."));
        using var http = new HttpClient();
        var client = Client(http, server);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Hello)) updates.Add(update);

        Assert.True(updates.Count > 3, "the answer arrives in several updates, as streamed");
        Assert.Equal("Hello, the patient is 65 [PT-1]. Fine.", string.Concat(updates.Select(u => u.Text)));
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.Stop);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("", request.Query);
        Assert.Equal("Bearer sk-test-key", request.Header("Authorization"));
        Assert.Null(request.Header("api-key"));
        Assert.Equal("test-model", (string?)request.Body["model"]);
        Assert.True((bool?)request.Body["stream"]);
        Assert.Equal(["system", "user"], request.Messages.Select(m => (string?)m!["role"]));
        Assert.Equal("Say hello.", (string?)request.Messages[1]!["content"]);
        Assert.Null(request.Body["tools"]);
    }

    [Fact]
    public async Task Azure_sends_the_key_as_an_api_key_header_to_the_configured_path_with_the_api_version()
    {
        await using var server = await FakeChatServer.StartAsync(FakeChatServer.Text("ok"));
        using var http = new HttpClient();
        var client = Client(http, server, o => (o.Kind, o.Path) = (LanguageModelKind.Azure, "models/chat/completions"));

        var response = await client.GetResponseAsync(Hello);

        Assert.Equal("ok", response.Text);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/models/chat/completions", request.Path);
        Assert.Equal("?api-version=" + LanguageModelOptions.DefaultAzureApiVersion, request.Query);
        Assert.Equal("sk-test-key", request.Header("api-key"));
        Assert.Null(request.Header("Authorization"));
    }

    [Fact]
    public async Task The_key_can_come_from_an_environment_variable_and_without_a_key_no_auth_header_is_sent()
    {
        var variable = "PORTAL_TEST_LLM_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "sk-from-env");
        try
        {
            await using var server = await FakeChatServer.StartAsync(FakeChatServer.Text("a"), FakeChatServer.Text("b"));
            using var http = new HttpClient();

            await Client(http, server, o => (o.ApiKey, o.ApiKeyEnvironmentVariable) = (null, variable)).GetResponseAsync(Hello);
            await Client(http, server, o => o.ApiKey = null).GetResponseAsync(Hello);

            Assert.Equal("Bearer sk-from-env", server.Requests[0].Header("Authorization"));
            Assert.Null(server.Requests[1].Header("Authorization"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Tool_calls_split_across_chunks_and_interleaved_are_assembled_with_their_ids_names_and_arguments()
    {
        await using var server = await FakeChatServer.StartAsync(FakeChatServer.ToolCalls(
            ("call_a", "find_evidence", """{"conditionId":"pulmonary-embolism"}"""),
            ("call_b", "get_timeline", """{"kind":"observation","limit":5}""")));
        using var http = new HttpClient();
        var tools = new AITool[]
        {
            AIFunctionFactory.Create((string conditionId) => conditionId, "find_evidence", "Evidence for one candidate."),
            AIFunctionFactory.Create((string? kind, int limit) => limit, "get_timeline"),
        };

        var response = await Client(http, server).GetResponseAsync(Hello, new ChatOptions { Tools = tools });

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["call_a", "call_b"], calls.Select(c => c.CallId));
        Assert.Equal(["find_evidence", "get_timeline"], calls.Select(c => c.Name));
        Assert.Equal("pulmonary-embolism", ((JsonElement)calls[0].Arguments!["conditionId"]!).GetString());
        Assert.Equal(5, ((JsonElement)calls[1].Arguments!["limit"]!).GetInt32());
        Assert.Equal("observation", ((JsonElement)calls[1].Arguments!["kind"]!).GetString());
        // The tools went out as function JSON schemas.
        var sent = server.Requests[0].Body["tools"]!.AsArray();
        Assert.Equal(["find_evidence", "get_timeline"], sent.Select(t => (string?)t!["function"]!["name"]));
        Assert.All(sent, t => Assert.Equal("function", (string?)t!["type"]));
        Assert.Equal("string", (string?)sent[0]!["function"]!["parameters"]!["properties"]!["conditionId"]!["type"]);
        Assert.Equal("Evidence for one candidate.", (string?)sent[0]!["function"]!["description"]);
    }

    [Fact]
    public async Task Tool_calls_and_their_results_are_sent_back_as_an_assistant_message_and_tool_messages_answering_the_call_ids()
    {
        await using var server = await FakeChatServer.StartAsync(FakeChatServer.Text("done"));
        using var http = new HttpClient();
        ChatMessage[] conversation =
        [
            new(ChatRole.User, "Review."),
            new(ChatRole.Assistant, [new FunctionCallContent("call_1", "summarize", new Dictionary<string, object?>())]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", JsonSerializer.SerializeToElement(new { grounded = true }))]),
        ];

        await Client(http, server).GetResponseAsync(conversation);

        var messages = Assert.Single(server.Requests).Messages;
        Assert.Equal(["user", "assistant", "tool"], messages.Select(m => (string?)m!["role"]));
        var call = messages[1]!["tool_calls"]![0]!;
        Assert.Equal(("call_1", "function", "summarize", "{}"), ((string?)call["id"], (string?)call["type"], (string?)call["function"]!["name"], (string?)call["function"]!["arguments"]));
        Assert.Equal("call_1", (string?)messages[2]!["tool_call_id"]);
        Assert.Equal("""{"grounded":true}""", (string?)messages[2]!["content"]);
    }

    [Fact]
    public async Task A_server_error_is_reported_by_its_status_code_only_never_with_the_body()
    {
        await using var server = await FakeChatServer.StartAsync(FakeChatServer.Status(500));
        using var http = new HttpClient();

        var e = await Assert.ThrowsAsync<LanguageModelException>(() => Client(http, server).GetResponseAsync(Hello));

        Assert.Equal("the endpoint answered HTTP 500", e.Message);
        Assert.DoesNotContain("PT-SECRET", e.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "a data line is not JSON")]
    [InlineData("[1,2]", "a chunk is not a JSON object")]
    [InlineData("""{"id":"x","object":"chat.completion.chunk"}""", "a chunk has no choices")]
    [InlineData("""{"error":{"message":"overloaded"}}""", "the endpoint reported an error in the stream")]
    [InlineData("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}}]}""", "tool call 0 has no id or no name")]
    [InlineData("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"summarize","arguments":"{\"a\":"}}]}}]}""", "the arguments of tool call 0 are not JSON")]
    public async Task A_malformed_stream_is_a_language_model_exception_that_says_what_was_wrong(string data, string reason)
    {
        await using var server = await FakeChatServer.StartAsync(FakeChatServer.Events([data]));
        using var http = new HttpClient();

        var e = await Assert.ThrowsAsync<LanguageModelException>(() => Client(http, server).GetResponseAsync(Hello));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_that_ends_before_DONE_is_malformed()
    {
        await using var server = await FakeChatServer.StartAsync(FakeChatServer.Events(FakeChatServer.TextChunks("half an ans"), done: false));
        using var http = new HttpClient();

        var e = await Assert.ThrowsAsync<LanguageModelException>(() => Client(http, server).GetResponseAsync(Hello));

        Assert.Equal("the stream ended before [DONE]", e.Message);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_a_language_model_exception()
    {
        // A port that was free a moment ago: nothing listens on it.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = new HttpClient();
        var client = new OpenAiCompatibleChatClient(http, new LanguageModelOptions { Endpoint = $"http://127.0.0.1:{port}/v1", Model = "m" });

        var e = await Assert.ThrowsAsync<LanguageModelException>(() => client.GetResponseAsync(Hello));

        Assert.StartsWith("the endpoint could not be reached", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url", "m", "Endpoint must be an absolute http(s) address")]
    [InlineData("ftp://example.org", "m", "Endpoint must be an absolute http(s) address")]
    [InlineData("http://127.0.0.1:1/v1", "", "Model is required with an Endpoint")]
    public void A_misconfigured_endpoint_is_refused_with_the_setting_that_is_wrong(string endpoint, string model, string error)
    {
        var options = new LanguageModelOptions { Endpoint = endpoint, Model = model };

        Assert.Contains(error, options.Validate());
        using var http = new HttpClient();
        var e = Assert.Throws<ArgumentException>(() => new OpenAiCompatibleChatClient(http, options));
        Assert.Contains(error, e.Message, StringComparison.Ordinal);
    }
}
