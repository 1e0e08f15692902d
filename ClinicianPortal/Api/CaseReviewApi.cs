using System.Text.Json;
using ClinicianPortal.Api.Keys;
using ClinicianPortal.CaseReview;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClinicianPortal.Api;

/// <summary>
/// Case review over REST (scope case-review): of a stored patient, or of a FHIR file reviewed in memory and not stored
/// (the same <see cref="TransientRecords"/> path as the `review` command). The body is <see cref="CaseReviewJson"/>'s shape.
/// </summary>
public static class CaseReviewApi
{
    public static RouteGroupBuilder MapCaseReviewApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var reviews = api.MapGroup("").WithTags("Case review")
            .RequireAuthorization(RequiredScope.Policy(ApiScopes.CaseReview))
            .WithMetadata(new RequiredScope(ApiScopes.CaseReview))
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        reviews.MapGet("/patients/{patientId}/case-review", ReviewStoredAsync).WithName("GetPatientCaseReview")
            .WithSummary("Review a stored patient")
            .WithDescription("The case review of a stored patient: grounded summary with citations (event ids), findings, ranked " +
                "differential with the evidence behind every candidate, next tests and provenance (models, knowledge base, inputs hash). " +
                "503 when inference is unavailable; `detail` says why.")
            .Produces<CaseReviewResult>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);

        reviews.MapPost("/case-review", ReviewInlineAsync).WithName("ReviewFhirFile")
            .WithSummary("Review a FHIR bundle or NDJSON file without storing it")
            .WithDescription("The body is one FHIR R4 file, as for POST /api/v1/import. It is de-identified in memory with a throw-away key " +
                "and reviewed; nothing of it is stored (pseudonyms differ from call to call). 200 gives one review per patient in the file, " +
                "in file order. 422 when the file cannot be read (NDJSON needs its Patient lines); 503 when inference is unavailable.")
            .Accepts<JsonElement>(ImportApi.JsonTypes[0], [.. ImportApi.JsonTypes.Skip(1), .. ImportApi.NdjsonTypes])
            .Produces<CaseReviewResult[]>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithMetadata(new LargeRequestBody());
        return api;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReviewStoredAsync(
        CaseReviewService reviews, string patientId, CancellationToken cancellationToken)
    {
        try
        {
            return await reviews.ReviewAsync(patientId, cancellationToken: cancellationToken) is { } review
                ? TypedResults.Text(CaseReviewJson.Serialize(review), "application/json")
                : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Patient not found", detail: $"No patient has the id '{patientId}'.");
        }
        catch (CaseReviewUnavailableException e)
        {
            return Unavailable(e);
        }
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReviewInlineAsync(
        HttpContext http, CaseReviewService reviews, ApiOptions options, CancellationToken cancellationToken)
    {
        if (ImportApi.FileNameFor(http.Request.ContentType) is not { } fileName)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
                detail: $"Send a FHIR Bundle as {string.Join(" or ", ImportApi.JsonTypes)}, or NDJSON as {string.Join(" or ", ImportApi.NdjsonTypes)}.");
        }
        using var body = new MemoryStream();
        if (!await ImportApi.TryReadAsync(http, options.MaxImportBytes, body, cancellationToken)) return ApiProblems.TooLarge(options.MaxImportBytes);
        var bytes = body.ToArray();

        try
        {
            var records = await TransientRecords.ReadAsync([new TransientFile(fileName, () => new MemoryStream(bytes, writable: false))], cancellationToken: cancellationToken);
            var results = records.Select(r => reviews.Review(r, cancellationToken: cancellationToken)).ToList();
            return TypedResults.Text(CaseReviewJson.Serialize(results), "application/json");
        }
        catch (TransientRecordsException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The file cannot be reviewed",
                detail: $"{e.Message.TrimEnd('.')}. Nothing of it was stored.");
        }
        catch (CaseReviewUnavailableException e)
        {
            return Unavailable(e);
        }
    }

    internal static ProblemHttpResult Unavailable(CaseReviewUnavailableException e) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Case review unavailable", detail: e.Message);
}
