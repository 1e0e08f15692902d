using System.Text.Json;
using System.Text.Json.Serialization;
using ClinicianPortal.Shared.Inference;

namespace ClinicianPortal.Inference;

public static class InferenceApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// GET /health/inference: the execution provider in use, those skipped and why, the ONNX Runtime
    /// version, and every model with its version, hash and state. 200 when the engine runs (status
    /// "healthy", or "degraded" when a model is unavailable), 503 when the engine itself is unavailable.
    /// </summary>
    public static IEndpointRouteBuilder MapInferenceApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health/inference", (InferenceHost host) =>
        {
            var health = host.Health();
            return Results.Json(health, Json, statusCode: health.Provider is null ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        }).WithName("InferenceHealth").AllowAnonymous(); // no PHI: monitoring may call it without signing in
        return endpoints;
    }
}
