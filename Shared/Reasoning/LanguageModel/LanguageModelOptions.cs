namespace ClinicianPortal.Shared.Reasoning.LanguageModel;

/// <summary>How the endpoint expects its key: OpenAI and most local servers take a bearer token, Azure an api-key header.</summary>
public enum LanguageModelKind
{
    OpenAi,
    Azure,
}

/// <summary>
/// The optional language model of the case review (configuration section <see cref="Section"/>): an
/// OpenAI-compatible Chat Completions endpoint. Without an <see cref="Endpoint"/> the review is deterministic.
/// </summary>
public sealed class LanguageModelOptions
{
    public const string Section = "CaseReview:LanguageModel";

    /// <summary>Base address; the request goes to {Endpoint}/{Path}, e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The model (Azure: the deployment) name sent in every request.</summary>
    public string? Model { get; set; }

    /// <summary>The key itself; prefer <see cref="ApiKeyEnvironmentVariable"/> so that it stays out of files. None: no auth header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The environment variable that holds the key (read when the app starts).</summary>
    public string? ApiKeyEnvironmentVariable { get; set; }

    public LanguageModelKind Kind { get; set; } = LanguageModelKind.OpenAi;

    /// <summary>The path below the endpoint (default "chat/completions"; Azure AI Foundry model inference: "models/chat/completions").</summary>
    public string Path { get; set; } = "chat/completions";

    /// <summary>Sent as ?api-version= when set (Azure needs one, default <see cref="DefaultAzureApiVersion"/>).</summary>
    public string? ApiVersion { get; set; }

    /// <summary>The whole language-model turn (all tool rounds) must end within this; then the deterministic summary is shown.</summary>
    public double TimeoutSeconds { get; set; } = 60;

    /// <summary>Rounds of tool calls allowed before the model must write its prose.</summary>
    public int MaxToolRounds { get; set; } = 8;

    public const string DefaultAzureApiVersion = "2024-10-21";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint);

    /// <summary>The key from <see cref="ApiKey"/> or, failing that, the environment variable.</summary>
    public string? ResolveApiKey() =>
        !string.IsNullOrEmpty(ApiKey) ? ApiKey
        : string.IsNullOrWhiteSpace(ApiKeyEnvironmentVariable) ? null
        : Environment.GetEnvironmentVariable(ApiKeyEnvironmentVariable) is { Length: > 0 } key ? key : null;

    /// <summary>The full request address: endpoint, path and (for Azure, or when set) the api-version.</summary>
    public Uri RequestUri()
    {
        var baseUri = Endpoint!.TrimEnd('/') + "/" + Path.TrimStart('/');
        var version = ApiVersion ?? (Kind == LanguageModelKind.Azure ? DefaultAzureApiVersion : null);
        return new Uri(version is null ? baseUri : baseUri + (baseUri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "api-version=" + Uri.EscapeDataString(version));
    }

    /// <summary>What is wrong with a configured endpoint (empty when it can be used); the messages name settings, never the key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!IsConfigured) return errors;
        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            errors.Add("Endpoint must be an absolute http(s) address");
        if (string.IsNullOrWhiteSpace(Model)) errors.Add("Model is required with an Endpoint");
        if (!string.IsNullOrWhiteSpace(ApiKeyEnvironmentVariable) && string.IsNullOrEmpty(ApiKey) && ResolveApiKey() is null)
            errors.Add($"the environment variable {ApiKeyEnvironmentVariable} (ApiKeyEnvironmentVariable) is not set");
        if (TimeoutSeconds is <= 0 or > 600) errors.Add("TimeoutSeconds must be between 0 and 600");
        if (MaxToolRounds is < 1 or > 50) errors.Add("MaxToolRounds must be between 1 and 50");
        return errors;
    }
}

/// <summary>The endpoint gave no usable answer; the message says why (status code, malformed stream) and holds no record content.</summary>
public sealed class LanguageModelException : Exception
{
    public LanguageModelException() { }
    public LanguageModelException(string message) : base(message) { }
    public LanguageModelException(string message, Exception inner) : base(message, inner) { }
}
