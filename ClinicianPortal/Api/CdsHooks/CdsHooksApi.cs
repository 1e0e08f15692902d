using System.Text.Json;
using System.Text.Json.Nodes;
using ClinicianPortal.Annotations;
using ClinicianPortal.Api.CdsHooks.ClientTokens;
using ClinicianPortal.Api.Keys;
using ClinicianPortal.Audit;
using ClinicianPortal.CaseReview;
using ClinicianPortal.Shared.Governance.Annotations;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Shared.Records;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClinicianPortal.Api.CdsHooks;

/// <summary>
/// CDS Hooks 2.0 under /cds-services: one patient-view service that reviews the prefetched record in memory (the same
/// <see cref="TransientRecords"/> path as POST /api/v1/case-review) and answers with cards. Nothing of the call is stored
/// but its audit record (the cards, the pseudonym and the inputs hash) and the API call log row.
/// This service never queries a FHIR server: without the prefetch it answers 412. CDS clients authenticate with a signed JWT
/// (CDS Hooks 2.0, ClientTokens/: the trusted clients are CdsHooks:Clients) or with an API key with the case-review scope.
/// </summary>
public static class CdsHooksApi
{
    public const string Prefix = "/cds-services";
    public const string PatientViewServiceId = "clinicianportal-patient-view";
    public const string PatientViewHook = "patient-view";

    /// <summary>The prefetch keys the service declares. The required ones must be sent (null for an empty search is fine, except the patient).</summary>
    public static readonly IReadOnlyDictionary<string, string> PatientViewPrefetch = new Dictionary<string, string>
    {
        ["patient"] = "Patient/{{context.patientId}}",
        ["conditions"] = "Condition?patient={{context.patientId}}",
        ["observations"] = "Observation?patient={{context.patientId}}",
        ["medications"] = "MedicationRequest?patient={{context.patientId}}",
        ["encounters"] = "Encounter?patient={{context.patientId}}",
        ["notes"] = "DocumentReference?patient={{context.patientId}}",
    };

    /// <summary>
    /// Without these there is no review worth showing. Encounters (the care setting, hence the priors) and notes (symptoms)
    /// are used when sent; when not, the cards say what the review did not see.
    /// </summary>
    public static readonly IReadOnlyList<string> RequiredPrefetch = ["patient", "conditions", "observations", "medications"];

    public static readonly CdsServiceDescription PatientView = new(
        PatientViewHook, "ClinicianPortal differential diagnosis",
        "Reviews the open patient's conditions, observations and medication requests in memory (de-identified, not stored) and " +
        "shows the leading differential diagnoses and can't-miss conditions, with the findings behind them.",
        PatientViewServiceId, PatientViewPrefetch,
        "Authenticate as a trusted CDS client (Authorization: Bearer <JWT> signed with ES384 or RS384, aud = this service's URL) or with an " +
        "API key with the case-review scope (Authorization: Bearer cpk_<id>_<secret>). The service does not query FHIR servers: " +
        "patient, conditions, observations and medications must be prefetched; encounters (care setting) and notes are used when prefetched.");

    private const string AuthenticationText =
        "A trusted CDS client authenticates with its JWT (CDS Hooks 2.0: `Authorization: Bearer <JWT>`, ES384 or RS384, aud = the URL called, " +
        "exp at most 5 minutes after iat, a unique jti; refusals are 401 with the reason); an API key with the case-review scope works too.";

    /// <summary>The authorization policy of the service calls: an API key or a trusted client's JWT, with the case-review scope.</summary>
    public const string CallPolicy = "CdsHooks:" + ApiScopes.CaseReview;

    public static IServiceCollection AddCdsHooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => CdsHooksOptions.From(configuration));
        services.AddSingleton<CdsFeedbackStore>();

        // Trusted CDS clients (CdsHooks:Clients) and the verification of their JWTs.
        services.AddSingleton(_ => CdsClientOptions.From(configuration));
        services.AddSingleton<JwksCache>();
        services.AddSingleton<TokenReplayCache>();
        services.AddSingleton<ClientTokenVerifier>();
        services.AddHttpClient(JwksCache.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, CdsClientAuthenticationHandler>(CdsClientAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(CdsClientAuthenticationHandler.KeyOrClientScheme, null, o => o.ForwardDefaultSelector = CdsClientAuthenticationHandler.SelectScheme);
        services.AddAuthorizationBuilder().AddPolicy(CallPolicy, p => p
            .AddAuthenticationSchemes(CdsClientAuthenticationHandler.KeyOrClientScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScopes.CaseReview));
        return services;
    }

    public static IEndpointRouteBuilder MapCdsHooksApi(this IEndpointRouteBuilder endpoints)
    {
        // Read the trusted clients now, so that a configuration that cannot verify tokens stops the start, not the first call.
        _ = endpoints.ServiceProvider.GetRequiredService<CdsClientOptions>();
        var cds = endpoints.MapGroup(Prefix).WithTags("CDS Hooks")
            .RequireRateLimiting(PortalApi.RateLimitPolicy)
            .AddEndpointFilter(PortalApi.LimitRequestBody);

        // Discovery is public, as CDS clients read it before they are configured; it holds nothing about patients.
        cds.MapGet("", () => TypedResults.Json(new CdsDiscovery([PatientView]), CdsJson.Options)).AllowAnonymous()
            .WithSummary("CDS Hooks discovery")
            .WithDescription("The CDS services this portal offers (CDS Hooks 2.0): hook, prefetch templates, usage. Public.")
            .Produces<CdsDiscovery>();

        var calls = cds.MapGroup("").RequireAuthorization(CallPolicy).WithMetadata(new RequiredScope(ApiScopes.CaseReview))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        calls.MapPost("/{serviceId}", CallAsync).WithMetadata(new LargeRequestBody())
            .WithSummary("Call a CDS service (patient-view)")
            .WithDescription("Reviews the prefetched Patient, Condition, Observation and MedicationRequest resources in memory and answers " +
                "with cards: leading differential entries and can't-miss conditions, each linking back to the case " +
                "(CdsHooks:PortalBaseUrl). Nothing but the audit record is stored. " + AuthenticationText)
            .Accepts<CdsRequest>("application/json")
            .Produces<CdsResponse>()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        calls.MapPost("/{serviceId}/feedback", FeedbackAsync)
            .WithSummary("Feedback on cards")
            .WithDescription("Records whether the clinician accepted or overrode (with a coded reason) each card. " + AuthenticationText)
            .Accepts<CdsFeedbackRequest>("application/json");
        return endpoints;
    }

    private static async Task<Results<JsonHttpResult<CdsResponse>, ProblemHttpResult>> CallAsync(
        HttpContext http, string serviceId, CaseReviewService reviews, FhirImporter importer, AuditStore audit, AnnotationStore annotations,
        CdsHooksOptions options, CancellationToken cancellationToken)
    {
        if (serviceId != PatientViewServiceId) return UnknownService(serviceId);
        CdsRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<CdsRequest>(http.Request.Body, CdsJson.Options, cancellationToken);
        }
        catch (JsonException e)
        {
            return BadRequest($"The body is not a CDS Hooks request: {e.Message}");
        }
        if (request is null) return BadRequest("The body is empty.");
        if (request.Hook != PatientViewHook) return BadRequest($"This service answers the '{PatientViewHook}' hook, not '{request.Hook}'.");
        if (string.IsNullOrWhiteSpace(request.HookInstance)) return BadRequest("hookInstance is required.");
        if (request.Context is not { ValueKind: JsonValueKind.Object } context
            || !context.TryGetProperty("patientId", out var patientIdElement) || patientIdElement.ValueKind != JsonValueKind.String)
            return BadRequest("context.patientId is required.");

        var (bundle, problem) = PrefetchBundle(request.Prefetch, patientIdElement.GetString()!);
        if (problem is not null) return problem;

        CaseReviewResult review;
        try
        {
            var records = await TransientRecords.ReadAsync([new TransientFile("cds-prefetch.json", () => new MemoryStream(bundle!, writable: false))], importer, cancellationToken);
            review = reviews.Review(records.Single(), cancellationToken: cancellationToken);
        }
        catch (TransientRecordsException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The prefetched resources cannot be reviewed",
                detail: $"{e.Message.TrimEnd('.')}. Nothing was stored.");
        }
        catch (CaseReviewUnavailableException e)
        {
            return CaseReviewApi.Unavailable(e);
        }

        var unseen = PatientViewPrefetch.Keys.Where(k => !request.Prefetch!.ContainsKey(k)).ToList();
        var issued = CdsCards.Issue(review, options.PortalBaseUrl, unseen);
        var cards = issued.Select(c => c.Card).ToList();
        var model = review.Provenance.Models.FirstOrDefault(m => m.Id == DifferentialSpec.ModelId) ?? review.Provenance.Models.First();
        var caller = CdsCaller.Actor(http.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value);
        var record = await audit.AppendAsync(AuditEntry.For(caller, review.PatientId, AuditKind.Differential, new ModelStamp(model.Id, model.Version, model.Sha256),
            new { service = serviceId, hook = request.Hook, review.Provenance.InputsSha256 }, cards), cancellationToken);
        // An index of the audit record, so that feedback on a card annotates the entry it showed.
        await annotations.RecordCdsCardsAsync([.. issued.Select(c => new CdsCardTarget(
            c.Card.Uuid, record.Id, review.PatientId, AnnotationTarget.DifferentialEntry(c.ConditionId).Key, c.Card.Summary))], cancellationToken);
        return TypedResults.Json(new CdsResponse(cards), CdsJson.Options);
    }

    /// <summary>
    /// A FHIR collection Bundle of the prefetched Patient and the resources of the searchset Bundles, or the problem:
    /// 412 when a declared key is missing (we cannot fetch it ourselves), 400 when the Patient is not the context's.
    /// </summary>
    internal static (byte[]? Bundle, ProblemHttpResult? Problem) PrefetchBundle(IReadOnlyDictionary<string, JsonElement>? prefetch, string patientId)
    {
        var missing = RequiredPrefetch.Where(k => prefetch is null || !prefetch.ContainsKey(k)).ToList();
        if (missing.Count > 0 || prefetch!["patient"].ValueKind != JsonValueKind.Object)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Prefetch required",
                detail: $"This service does not query FHIR servers, so it needs the prefetch of {string.Join(", ", RequiredPrefetch)}; missing: " +
                    $"{string.Join(", ", missing.Count > 0 ? missing : ["patient (null)"])}."));
        }
        var patient = JsonNode.Parse(prefetch["patient"].GetRawText())!.AsObject();
        if ((string?)patient["resourceType"] != "Patient" || (string?)patient["id"] != patientId)
            return (null, BadRequest("prefetch.patient must be the Patient resource of context.patientId."));

        var entries = new JsonArray { new JsonObject { ["resource"] = patient } };
        foreach (var key in PatientViewPrefetch.Keys.Where(k => k != "patient" && prefetch.ContainsKey(k)))
        {
            var value = prefetch[key];
            if (value.ValueKind == JsonValueKind.Null) continue;
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("resourceType", out var type) || type.GetString() != "Bundle")
                return (null, BadRequest($"prefetch.{key} must be a searchset Bundle (or null)."));
            if (!value.TryGetProperty("entry", out var searchEntries) || searchEntries.ValueKind != JsonValueKind.Array) continue;
            foreach (var entry in searchEntries.EnumerateArray())
            {
                if (!entry.TryGetProperty("resource", out var resource) || resource.ValueKind != JsonValueKind.Object) continue;
                if (resource.TryGetProperty("resourceType", out var rt) && rt.GetString() == "OperationOutcome") continue; // search outcome notes
                var copy = new JsonObject { ["resource"] = JsonNode.Parse(resource.GetRawText()) };
                if (entry.TryGetProperty("fullUrl", out var fullUrl) && fullUrl.ValueKind == JsonValueKind.String) copy["fullUrl"] = fullUrl.GetString();
                entries.Add(copy);
            }
        }
        var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = entries };
        return (JsonSerializer.SerializeToUtf8Bytes(bundle), null);
    }

    private static async Task<Results<Ok, ProblemHttpResult>> FeedbackAsync(
        HttpContext http, string serviceId, CdsFeedbackStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (serviceId != PatientViewServiceId) return UnknownService(serviceId);
        CdsFeedbackRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<CdsFeedbackRequest>(http.Request.Body, CdsJson.Options, cancellationToken);
        }
        catch (JsonException e)
        {
            return BadRequest($"The body is not CDS Hooks feedback: {e.Message}");
        }
        if (request?.Feedback is not { Count: > 0 } feedback) return BadRequest("The body must hold a non-empty 'feedback' array.");

        var now = time.GetUtcNow();
        var keyId = http.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value;
        var records = new List<CdsFeedbackRecord>();
        foreach (var (f, i) in feedback.Select((f, i) => (f, i)))
        {
            if (!Guid.TryParse(f.Card, out _)) return BadRequest($"feedback[{i}].card must be the uuid of a card.");
            if (f.Outcome is not ("accepted" or "overridden")) return BadRequest($"feedback[{i}].outcome must be 'accepted' or 'overridden'.");
            if (f.OutcomeTimestamp is null) return BadRequest($"feedback[{i}].outcomeTimestamp is required.");
            var reason = f.Outcome == "overridden" ? f.OverrideReason?.Reason : null;
            records.Add(new CdsFeedbackRecord(serviceId, f.Card!.ToLowerInvariant(), f.Outcome, reason?.System, reason?.Code, reason?.Display, f.OutcomeTimestamp.Value, now, keyId));
        }
        await store.AppendAsync(records, cancellationToken);
        return TypedResults.Ok();
    }

    private static ProblemHttpResult UnknownService(string serviceId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown CDS service",
            detail: $"No CDS service has the id '{serviceId}'; GET {Prefix} lists them.");

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad CDS Hooks request", detail: detail);
}
