using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClinicianPortal.Api.CdsHooks;

// The CDS Hooks 2.0 wire shapes this service speaks (https://cds-hooks.hl7.org/2.0/): discovery, the hook request,
// cards, and feedback. Serialized camelCase, nulls left out.

public sealed record CdsDiscovery(IReadOnlyList<CdsServiceDescription> Services);

public sealed record CdsServiceDescription(
    string Hook, string Title, string Description, string Id, IReadOnlyDictionary<string, string> Prefetch, string? UsageRequirements);

/// <summary>A hook call. <c>fhirServer</c>/<c>fhirAuthorization</c> are accepted but never used: this service does not query FHIR servers.</summary>
public sealed record CdsRequest(
    string? Hook, string? HookInstance, string? FhirServer, JsonElement? FhirAuthorization,
    JsonElement? Context, IReadOnlyDictionary<string, JsonElement>? Prefetch);

public sealed record CdsResponse(IReadOnlyList<CdsCard> Cards);

public sealed record CdsCard(
    string Uuid, string Summary, string Detail, string Indicator, CdsSource Source, IReadOnlyList<CdsLink> Links)
{
    /// <summary>The spec's limit on <c>summary</c>.</summary>
    public const int MaxSummaryLength = 140;
}

public sealed record CdsSource(string Label, string? Url, string? Topic = null);

/// <param name="Type">"absolute" (a plain URL) or "smart" (a SMART app launch).</param>
public sealed record CdsLink(string Label, string Url, string Type);

public sealed record CdsFeedbackRequest(IReadOnlyList<CdsFeedback>? Feedback);

public sealed record CdsFeedback(string? Card, string? Outcome, CdsOverrideReason? OverrideReason, DateTimeOffset? OutcomeTimestamp, JsonElement? AcceptedSuggestions);

/// <param name="UserComment">Read but not stored: free text may hold PHI.</param>
public sealed record CdsOverrideReason(CdsCoding? Reason, string? UserComment);

public sealed record CdsCoding(string? Code, string? System, string? Display);

/// <summary>The options of the CDS Hooks service (section "CdsHooks").</summary>
public sealed record CdsHooksOptions
{
    /// <summary>The portal's public base URL, for the cards' links back to the patient (CdsHooks:PortalBaseUrl; default: where `dotnet run` listens).</summary>
    public string PortalBaseUrl { get; init; } = "http://localhost:5080";

    /// <summary>Reads CdsHooks:PortalBaseUrl; a value that is not an absolute http(s) URL is refused with an error naming the setting (no card gets a broken link).</summary>
    public static CdsHooksOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration["CdsHooks:PortalBaseUrl"];
        if (string.IsNullOrWhiteSpace(configured)) return new();
        if (!Uri.TryCreate(configured.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Query.Length > 0 || url.Fragment.Length > 0)
            throw new InvalidOperationException($"CdsHooks:PortalBaseUrl must be the portal's absolute http(s) address, such as https://portal.example.org (it is '{configured}').");
        return new() { PortalBaseUrl = configured.Trim().TrimEnd('/') };
    }
}

internal static class CdsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
}
