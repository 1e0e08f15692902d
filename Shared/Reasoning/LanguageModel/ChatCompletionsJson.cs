using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ClinicianPortal.Shared.Reasoning.LanguageModel;

/// <summary>The Chat Completions wire format: the request body, and the streamed chunks read back into updates.</summary>
internal static class ChatCompletionsJson
{
    public static string Request(string model, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            json.WriteBoolean("stream", true);
            if (options?.Temperature is { } temperature) json.WriteNumber("temperature", temperature);
            if (options?.MaxOutputTokens is { } maxTokens) json.WriteNumber("max_tokens", maxTokens);
            json.WriteStartArray("messages");
            foreach (var message in messages) WriteMessage(json, message);
            json.WriteEndArray();
            var tools = options?.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
            if (tools.Count > 0)
            {
                json.WriteStartArray("tools");
                foreach (var tool in tools)
                {
                    json.WriteStartObject();
                    json.WriteString("type", "function");
                    json.WriteStartObject("function");
                    json.WriteString("name", tool.Name);
                    if (!string.IsNullOrEmpty(tool.Description)) json.WriteString("description", tool.Description);
                    json.WritePropertyName("parameters");
                    tool.JsonSchema.WriteTo(json);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteMessage(Utf8JsonWriter json, ChatMessage message)
    {
        if (message.Role == ChatRole.Tool)
        {
            // One tool message per result, each answering its call's id.
            foreach (var result in message.Contents.OfType<FunctionResultContent>())
            {
                json.WriteStartObject();
                json.WriteString("role", "tool");
                json.WriteString("tool_call_id", result.CallId);
                json.WriteString("content", ResultText(result.Result));
                json.WriteEndObject();
            }
            return;
        }
        json.WriteStartObject();
        json.WriteString("role", message.Role == ChatRole.System ? "system" : message.Role == ChatRole.Assistant ? "assistant" : "user");
        var text = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        if (text.Length > 0 || calls.Count == 0) json.WriteString("content", text);
        else json.WriteNull("content");
        if (calls.Count > 0)
        {
            json.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                json.WriteStartObject();
                json.WriteString("id", call.CallId);
                json.WriteString("type", "function");
                json.WriteStartObject("function");
                json.WriteString("name", call.Name);
                json.WriteString("arguments", JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions));
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static string ResultText(object? result) => result switch
    {
        null => "null",
        string s => s,
        JsonElement e => e.GetRawText(),
        _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions),
    };

    /// <summary>One streamed response: reads its chunks, collecting the tool-call fragments by index.</summary>
    public sealed class StreamState
    {
        private readonly SortedDictionary<int, (string? Id, StringBuilder Name, StringBuilder Arguments)> _calls = [];

        public string? ModelId { get; private set; }
        public string? ResponseId { get; private set; }

        /// <returns>The chunk's text (and finish reason) as an update, or null when it carried only tool-call fragments or nothing.</returns>
        /// <exception cref="LanguageModelException">The chunk is not a Chat Completions chunk.</exception>
        public ChatResponseUpdate? Read(string data)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(data);
            }
            catch (JsonException e)
            {
                throw new LanguageModelException("malformed stream: a data line is not JSON", e);
            }
            using (document)
            {
                try
                {
                    return Read(document.RootElement);
                }
                catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
                {
                    throw new LanguageModelException("malformed stream: a chunk is not shaped like a chat completion chunk", e);
                }
            }
        }

        private ChatResponseUpdate? Read(JsonElement chunk)
        {
            if (chunk.ValueKind != JsonValueKind.Object) throw new LanguageModelException("malformed stream: a chunk is not a JSON object");
            if (chunk.TryGetProperty("error", out _)) throw new LanguageModelException("the endpoint reported an error in the stream");
            if (chunk.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String) ModelId = model.GetString();
            if (chunk.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String) ResponseId = id.GetString();
            if (!chunk.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
            {
                if (chunk.TryGetProperty("usage", out _)) return null; // the usage-only chunk some servers send last
                throw new LanguageModelException("malformed stream: a chunk has no choices");
            }

            var text = new StringBuilder();
            ChatFinishReason? finish = null;
            foreach (var choice in choices.EnumerateArray())
            {
                if (choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String)
                    finish = new ChatFinishReason(reason.GetString()!);
                if (!choice.TryGetProperty("delta", out var delta) || delta.ValueKind != JsonValueKind.Object) continue;
                if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String) text.Append(content.GetString());
                if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray()) AddFragment(call);
                }
            }
            if (text.Length == 0 && finish is null) return null;
            return new ChatResponseUpdate(ChatRole.Assistant, text.Length > 0 ? [new TextContent(text.ToString())] : [])
            {
                ModelId = ModelId,
                ResponseId = ResponseId,
                FinishReason = finish == ChatFinishReason.ToolCalls ? null : finish, // the calls themselves come at the end
            };
        }

        private void AddFragment(JsonElement call)
        {
            var index = call.TryGetProperty("index", out var i) ? i.GetInt32() : _calls.Count;
            if (!_calls.TryGetValue(index, out var entry)) _calls[index] = entry = (null, new StringBuilder(), new StringBuilder());
            if (call.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String) _calls[index] = entry = (id.GetString(), entry.Name, entry.Arguments);
            if (!call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object) return;
            if (function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String) entry.Name.Append(name.GetString());
            if (function.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.String) entry.Arguments.Append(arguments.GetString());
        }

        /// <summary>The tool calls the stream assembled, arguments parsed.</summary>
        /// <exception cref="LanguageModelException">A call has no id or name, or its arguments are not a JSON object.</exception>
        public IList<AIContent> ToolCalls()
        {
            var result = new List<AIContent>();
            foreach (var (index, (id, name, arguments)) in _calls)
            {
                if (string.IsNullOrEmpty(id) || name.Length == 0) throw new LanguageModelException($"malformed stream: tool call {index} has no id or no name");
                result.Add(new FunctionCallContent(id, name.ToString(), ParseArguments(arguments.ToString(), index)));
            }
            return result;
        }

        private static Dictionary<string, object?> ParseArguments(string json, int index)
        {
            if (string.IsNullOrWhiteSpace(json)) return [];
            try
            {
                using var document = JsonDocument.Parse(json);
                if (document.RootElement.ValueKind != JsonValueKind.Object) throw new LanguageModelException($"malformed stream: the arguments of tool call {index} are not a JSON object");
                return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);
            }
            catch (JsonException e)
            {
                throw new LanguageModelException($"malformed stream: the arguments of tool call {index} are not JSON", e);
            }
        }
    }
}
