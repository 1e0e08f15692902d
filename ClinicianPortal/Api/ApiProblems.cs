using Microsoft.AspNetCore.Http.HttpResults;

namespace ClinicianPortal.Api;

/// <summary>RFC 9457 problem details shared by the API's parts.</summary>
public static class ApiProblems
{
    /// <summary>A "type" for every status the API answers with (ASP.NET Core's defaults lack 413 and 429).</summary>
    public static void SetType(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.ProblemDetails.Type ??= context.ProblemDetails.Status switch
        {
            StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
            StatusCodes.Status415UnsupportedMediaType => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
            StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
            _ => "about:blank",
        };
    }

    public static ProblemHttpResult TooLarge(long limit) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
            detail: $"The body is over this call's limit of {limit:N0} bytes; nothing was processed.");
}
