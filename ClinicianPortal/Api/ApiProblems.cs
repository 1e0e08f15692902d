using Microsoft.AspNetCore.Http.HttpResults;

namespace ClinicianPortal.Api;

/// <summary>RFC 9457 problem details shared by the API's parts.</summary>
public static class ApiProblems
{
    /// <summary>
    /// A "type" for every status the API answers with (ASP.NET Core's defaults lack 413 and 429), and a "detail" for
    /// the errors the framework answers itself (no route, wrong method, a content type the call does not accept).
    /// </summary>
    public static void Complete(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        problem.Type ??= problem.Status switch
        {
            StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
            StatusCodes.Status415UnsupportedMediaType => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
            StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
            _ => "about:blank",
        };
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status404NotFound => "No API endpoint has this path; /openapi/v1.json lists them.",
            StatusCodes.Status405MethodNotAllowed => "This path does not accept this HTTP method; /openapi/v1.json lists the methods.",
            StatusCodes.Status415UnsupportedMediaType => "This call does not accept the request's content type; /openapi/v1.json lists the types it does.",
            StatusCodes.Status500InternalServerError => "The server failed to answer; the error is in its log.",
            _ => null,
        };
    }

    public static ProblemHttpResult TooLarge(long limit) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
            detail: $"The body is over this call's limit of {limit:N0} bytes; nothing was processed.");
}
