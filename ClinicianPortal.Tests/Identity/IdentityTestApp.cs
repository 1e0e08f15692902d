using System.Net;
using System.Text.RegularExpressions;
using ClinicianPortal.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClinicianPortal.Tests.Identity;

/// <summary>
/// The whole app in memory (WebApplicationFactory) on a fresh SQLite folder, with no sample import and the demo
/// users' password set to <see cref="DemoPassword"/>; signs clients in through the real sign-in form.
/// </summary>
public sealed partial class IdentityTestApp : IAsyncDisposable
{
    public const string DemoPassword = "test-Password-1";

    private readonly string dataDirectory;

    /// <param name="dataDirectory">The data folder (Storage:DataDirectory); a new temporary one when null. Two apps may share one.</param>
    public IdentityTestApp(string environment = "Development", IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        string? dataDirectory = null)
    {
        this.dataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "clinicianportal-tests", Guid.NewGuid().ToString("N"));
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment(environment);
            b.UseSetting("Storage:Provider", "Sqlite");
            b.UseSetting("ConnectionStrings:Portal", "");
            b.UseSetting("Storage:DataDirectory", this.dataDirectory);
            b.UseSetting("Storage:SeedSampleData", "false");
            b.UseSetting("Identity:DemoPassword", DemoPassword);
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) b.UseSetting(key, value);
            b.ConfigureServices(s =>
            {
                s.RemoveAll<StartupConsole>();
                s.AddSingleton(new StartupConsole(Console));
                services?.Invoke(s);
            });
        });
    }

    public WebApplicationFactory<Program> Factory { get; }

    public string DataDirectory => dataDirectory;

    /// <summary>What the app printed for the person at the console.</summary>
    public StringWriter Console { get; } = new();

    /// <summary>A client that keeps cookies and shows redirects instead of following them.</summary>
    public HttpClient NewClient() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Posts the sign-in form as a browser would (with its antiforgery token); returns the response.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string userName, string password, string path = "/login")
    {
        ArgumentNullException.ThrowIfNull(client);
        var form = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        var fields = HiddenInput().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Input.UserName"] = userName;
        fields["Input.Password"] = password;
        return await client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    /// <summary>A client signed in as the demo user of <paramref name="role"/>.</summary>
    public async Task<HttpClient> SignedInClientAsync(string role)
    {
        var client = NewClient();
        using var response = await PostLoginAsync(client, role, DemoPassword);
        if (response.StatusCode != HttpStatusCode.Redirect)
            Assert.Fail($"signing in as {role} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { /* the OS cleans temp */ }
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)" */?>""")]
    private static partial Regex HiddenInput();
}
