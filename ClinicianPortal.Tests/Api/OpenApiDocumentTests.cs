using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicianPortal.Tests.Api;

/// <summary>/openapi/v1.json describes every /api/v1 endpoint; /api/docs serves the interactive page. Neither needs a key.</summary>
public sealed class OpenApiDocumentTests(SeededApiHost seeded) : IClassFixture<SeededApiHost>
{
    private ApiHost Host => seeded.Host;

    [Fact]
    public async Task The_openapi_document_lists_every_api_endpoint_with_a_summary_and_the_key_scheme()
    {
        using var response = await Host.Client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Method: op.Name.ToUpperInvariant(), Path: path.Name, Operation: op.Value)))
            .Where(d => d.Path.StartsWith("/api/v1", StringComparison.Ordinal))
            .ToList();
        var mapped = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => (Method: m, Path: e.RoutePattern.RawText!.TrimEnd('/'))))
            .ToList();
        Assert.Equal(7, mapped.Count);
        Assert.Equal(mapped.Order(), documented.Select(d => (d.Method, d.Path)).Order());
        Assert.All(documented, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Operation.GetProperty("summary").GetString()), d.Path);
            Assert.False(string.IsNullOrWhiteSpace(d.Operation.GetProperty("description").GetString()), d.Path);
            Assert.True(d.Operation.GetProperty("responses").TryGetProperty("401", out _), d.Path);
            Assert.Equal(JsonValueKind.Array, d.Operation.GetProperty("security").ValueKind);
        });
        var import = documented.Single(d => d.Path == "/api/v1/import").Operation;
        var contentTypes = import.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name).ToList();
        Assert.Contains("application/fhir+json", contentTypes);
        Assert.Contains("application/x-ndjson", contentTypes);
        Assert.True(import.GetProperty("responses").TryGetProperty("422", out _));
        foreach (var path in new[] { "/api/v1/case-review", "/api/v1/patients/{patientId}/case-review" })
        {
            var review = documented.Single(d => d.Path == path).Operation;
            Assert.Equal("case-review", review.GetProperty("security")[0].GetProperty("ApiKey")[0].GetString());
            Assert.True(review.GetProperty("responses").TryGetProperty("503", out _), path);
            Assert.True(review.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _), path);
        }
        Assert.Contains("application/fhir+ndjson", documented.Single(d => d.Path == "/api/v1/case-review").Operation
            .GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_cds_hooks_services()
    {
        var document = JsonDocument.Parse(await Host.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement;
        var paths = document.GetProperty("paths");

        var discovery = paths.GetProperty("/cds-services").GetProperty("get");
        Assert.False(discovery.TryGetProperty("security", out _)); // public: clients read it before they hold a key
        Assert.True(discovery.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _));

        var call = paths.GetProperty("/cds-services/{serviceId}").GetProperty("post");
        Assert.Equal("case-review", call.GetProperty("security")[0].GetProperty("ApiKey")[0].GetString());
        Assert.True(call.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        foreach (var status in new[] { "200", "400", "401", "404", "412", "422", "429", "503" })
            Assert.True(call.GetProperty("responses").TryGetProperty(status, out _), status);

        var feedback = paths.GetProperty("/cds-services/{serviceId}/feedback").GetProperty("post");
        Assert.Equal("case-review", feedback.GetProperty("security")[0].GetProperty("ApiKey")[0].GetString());
        // Or a trusted CDS client's JWT, a second alternative.
        Assert.All(new[] { call, feedback }, op => Assert.True(op.GetProperty("security")[1].TryGetProperty("CdsClient", out _)));
        Assert.Equal("JWT", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("CdsClient").GetProperty("bearerFormat").GetString());
        Assert.All(new[] { discovery, call, feedback }, op => Assert.False(string.IsNullOrWhiteSpace(op.GetProperty("summary").GetString())));
    }

    [Fact]
    public async Task The_docs_page_is_swagger_ui_over_the_openapi_document()
    {
        using var page = await Host.Client.GetAsync(new Uri("/api/docs/index.html", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("swagger-ui", html, StringComparison.Ordinal);

        using var config = await Host.Client.GetAsync(new Uri("/api/docs/index.js", UriKind.Relative));
        Assert.Contains("/openapi/v1.json", await config.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_api_path_gets_a_404_problem()
    {
        using var response = await Host.Client.GetAsync(new Uri("/api/v1/nothing-here", UriKind.Relative));
        await ApiHost.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task A_wrong_method_gets_a_405_problem()
    {
        using var response = await Host.Client.DeleteAsync(new Uri("/api/v1/import", UriKind.Relative));
        await ApiHost.AssertProblemAsync(response, 405);
    }
}
