using System.Net;
using ClinicianPortal.Identity;

namespace ClinicianPortal.Tests.Identity;

/// <summary>
/// Every route × every role (and anonymous), over real HTTP requests to the whole app: 200, a redirect to the
/// sign-in page, or a redirect to the access-denied page.
/// </summary>
public sealed class AuthorizationMatrixTests : IClassFixture<AuthorizationMatrixTests.App>
{
    public sealed class App : IAsyncLifetime
    {
        public IdentityTestApp Portal { get; } = new();
        public Dictionary<string, HttpClient> Clients { get; } = [];

        public async Task InitializeAsync()
        {
            Clients["anonymous"] = Portal.NewClient();
            foreach (var role in Roles.All) Clients[role] = await Portal.SignedInClientAsync(role);
        }

        public async Task DisposeAsync()
        {
            foreach (var client in Clients.Values) client.Dispose();
            await Portal.DisposeAsync();
        }
    }

    private readonly App app;

    public AuthorizationMatrixTests(App app) => this.app = app;

    private const string Ok = "200", Login = "login", Denied = "denied";

    // route, anonymous, physician, careteam, validator, admin
    public static TheoryData<string, string, string, string, string, string> Matrix => new()
    {
        { "/", Login, Ok, Ok, Denied, Ok },
        { "/patients", Login, Ok, Ok, Denied, Ok },
        { "/patients/no-such-patient", Login, Ok, Ok, Denied, Ok },
        { "/import", Login, Denied, Denied, Denied, Ok },
        { "/admin/audit", Login, Denied, Denied, Denied, Ok },
        { "/admin/users", Login, Denied, Denied, Denied, Ok },
        { "/admin/api-keys", Login, Denied, Denied, Denied, Ok },
        { "/admin/api-keys/no-such-key", Login, Denied, Denied, Denied, Ok },
        { "/admin/dashboard", Login, Denied, Denied, Denied, Ok },
        { "/admin/models", Login, Denied, Denied, Denied, Ok },
        // Model cards are read from the case review; validators rate blinded to the model version, so they do not see them.
        { "/model-card?model=differential-kb&version=1.0.0", Login, Ok, Ok, Denied, Ok },
        { "/validation", Login, Denied, Denied, Ok, Ok },
        { "/validation/1", Login, Denied, Denied, Ok, Ok },
        { "/admin/validation/export.jsonl", Login, Denied, Denied, Denied, Ok },
        { "/annotations", Login, Ok, Ok, Denied, Denied },
        { "/annotations?patient=no-such-patient", Login, Ok, Ok, Denied, Denied },
        { "/health/inference", Ok, Ok, Ok, Ok, Ok },
        { "/login", Ok, Ok, Ok, Ok, Ok },
        { "/access-denied", Ok, Ok, Ok, Ok, Ok },
        // Public framework code that the sign-in page loads.
        { "/_framework/blazor.web.js", Ok, Ok, Ok, Ok, Ok },
    };

    [Theory, MemberData(nameof(Matrix))]
    public async Task Each_role_gets_exactly_the_pages_its_policy_allows(string route, string anonymous, string physician, string careteam, string validator, string admin)
    {
        var expected = new Dictionary<string, string>
        {
            ["anonymous"] = anonymous, [Roles.Physician] = physician, [Roles.CareTeam] = careteam, [Roles.Validator] = validator, [Roles.Admin] = admin,
        };
        var failures = new List<string>();
        foreach (var (who, want) in expected)
        {
            using var response = await app.Clients[who].GetAsync(new Uri(route, UriKind.Relative));
            var got = Outcome(response);
            if (got != want) failures.Add($"{who}: expected {want}, got {got} ({(int)response.StatusCode} {response.Headers.Location})");
        }
        Assert.True(failures.Count == 0, $"{route}: " + string.Join("; ", failures));
    }

    [Fact]
    public async Task Anonymous_requests_are_sent_to_sign_in_with_the_page_to_return_to()
    {
        using var response = await app.Clients["anonymous"].GetAsync(new Uri("/import", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Fimport", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Sign_out_needs_the_form_token_and_then_ends_the_session()
    {
        using var client = await app.Portal.SignedInClientAsync(Roles.CareTeam);
        using (var forged = await client.PostAsync(new Uri("/logout", UriKind.Relative), new FormUrlEncodedContent([])))
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/patients", UriKind.Relative))).StatusCode);

        var page = await client.GetStringAsync(new Uri("/patients", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(page, """name="__RequestVerificationToken" value="([^"]+)""").Groups[1].Value;
        using var signOut = await client.PostAsync(new Uri("/logout", UriKind.Relative),
            new FormUrlEncodedContent([KeyValuePair.Create("__RequestVerificationToken", System.Net.WebUtility.HtmlDecode(token))]));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(Login, Outcome(await client.GetAsync(new Uri("/patients", UriKind.Relative))));
    }

    [Fact]
    public async Task The_header_shows_the_user_name_role_and_sign_out()
    {
        var html = await app.Clients[Roles.Physician].GetStringAsync(new Uri("/patients", UriKind.Relative));
        Assert.Contains("""<span class="user-name" """.Trim()[..^1], html, StringComparison.Ordinal);
        Assert.Matches(@"class=""user-name""[^>]*>physician<", html);
        Assert.Matches(@"class=""user-role""[^>]*>Physician<", html);
        Assert.Contains("Sign out", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"import\"", html, StringComparison.Ordinal);
    }

    private static string Outcome(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.OK => Ok,
        HttpStatusCode.Redirect when response.Headers.Location!.OriginalString.Contains("/login", StringComparison.Ordinal) => Login,
        HttpStatusCode.Redirect when response.Headers.Location!.OriginalString.Contains("/access-denied", StringComparison.Ordinal) => Denied,
        _ => ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
