using System.Text.Json;
using ClinicianPortal.Import;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ClinicianPortal.Api;

/// <summary>
/// POST /api/v1/import: one FHIR R4 file in the body (a Bundle, or bulk NDJSON), imported by the same
/// <see cref="ImportService"/> as the import page and the `import` command: de-identified, stored whole or not at all.
/// </summary>
public static class ImportApi
{
    internal static readonly string[] JsonTypes = ["application/fhir+json", "application/json"];
    internal static readonly string[] NdjsonTypes = ["application/fhir+ndjson", "application/x-ndjson", "application/ndjson"];

    public static RouteGroupBuilder MapImportApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/import", ImportAsync).WithName("Import").WithTags("Import")
            .WithSummary("Import a FHIR bundle or NDJSON file")
            .WithDescription("The body is one FHIR R4 file: a Bundle (`application/fhir+json` or `application/json`) or bulk-export NDJSON " +
                "(`application/fhir+ndjson` or `application/x-ndjson`). It is de-identified and stored in one transaction. " +
                "200 gives the resources read per type, the types skipped and the patients and events stored; 422 means the file " +
                "was rejected whole (nothing stored) and `detail` says why. The body limit is Api:MaxImportBytes (50 MB by default).")
            .Accepts<JsonElement>(JsonTypes[0], [.. JsonTypes.Skip(1), .. NdjsonTypes])
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithMetadata(new LargeRequestBody())
            .RequireAuthorization(Keys.RequiredScope.Policy(Keys.ApiScopes.Import))
            .WithMetadata(new Keys.RequiredScope(Keys.ApiScopes.Import));
        return api;
    }

    private static async Task<Results<Ok<ImportResultDto>, ProblemHttpResult>> ImportAsync(
        HttpContext http, ImportService imports, ApiOptions options, CancellationToken cancellationToken)
    {
        if (FileNameFor(http.Request.ContentType) is not { } fileName)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
                detail: $"Send a FHIR Bundle as {string.Join(" or ", JsonTypes)}, or NDJSON as {string.Join(" or ", NdjsonTypes)}.");
        }

        using var body = new MemoryStream();
        if (!await TryReadAsync(http, options.MaxImportBytes, body, cancellationToken)) return ApiProblems.TooLarge(options.MaxImportBytes);
        body.Position = 0;

        var result = await imports.ImportStreamAsync(fileName, body, cancellationToken);
        if (!result.Succeeded)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The file was not imported",
                detail: $"{result.Error}. Nothing of it was stored.", extensions: new Dictionary<string, object?> { ["fileLabel"] = result.Label });
        }
        return TypedResults.Ok(ImportResultDto.From(result));
    }

    /// <summary>The name the import reads the body as: its extension tells the format.</summary>
    internal static string? FileNameFor(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed)) return null;
        var mediaType = parsed.MediaType.Value ?? "";
        if (JsonTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase)) return "api-upload.json";
        if (NdjsonTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase)) return "api-upload.ndjson";
        return null;
    }

    /// <summary>Copies the body up to the limit; false (and nothing imported) when it is longer.</summary>
    internal static async Task<bool> TryReadAsync(HttpContext http, long limit, MemoryStream target, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > limit) return false;
        // The server's own limit (Kestrel: 30 MB) must not cut the body short of ours.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature) sizeFeature.MaxRequestBodySize = limit + 1;
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (target.Length + read > limit) return false;
                target.Write(buffer, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return false;
        }
        return true;
    }
}

/// <summary>Endpoint metadata: the body may be as large as Api:MaxImportBytes (others: Api:MaxRequestBytes).</summary>
public sealed record LargeRequestBody;
