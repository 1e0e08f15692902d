using ClinicianPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;

namespace ClinicianPortal.Tests.Browser;

/// <summary>
/// The real app on Kestrel at a free port, with a fresh data folder (so it imports the sample cohort on
/// first run, as a new installation does), and one headless Debian chromium shared by the browser tests.
/// </summary>
public class PortalAppFixture : IAsyncLifetime
{
    protected readonly string dataDirectory = Directory.CreateTempSubdirectory("clinicianportal-browser-").FullName;
    private KestrelFactory? factory;
    private IPlaywright? playwright;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");
    /// <summary>The SQLite database of the app under test (tests may add rows as another process would).</summary>
    public string AppDatabasePath => Path.Combine(dataDirectory, "app", ClinicianPortal.Data.StorageOptions.SqliteFileName);
    public IBrowser Browser { get; private set; } = default!;

    public virtual async Task InitializeAsync()
    {
        if (!File.Exists(TestEnvironment.ChromiumPath) && !TestEnvironment.IsCI) return; // the [BrowserFact]s skip
        factory = new KestrelFactory(dataDirectory, SampleDataDirectory(), AppSettings());
        BaseAddress = factory.StartKestrel();
        playwright = await Playwright.CreateAsync();
        // The first interactive render of a page waits for the circuit; give it more than the default 5 s.
        Assertions.SetDefaultExpectTimeout(20_000);
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestEnvironment.ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
            // Playwright gives every non-persistent launch a fresh profile (--user-data-dir) of its own.
        });
    }

    /// <summary>Open pages re-check their user this often (Identity:OpenPageRecheckSeconds), so that tests see it happen.</summary>
    public const int OpenPageRecheckSeconds = 2;

    /// <summary>The demo users' password in the browser tests' app (Identity:DemoPassword).</summary>
    public const string DemoPassword = "browser-Test-1";

    /// <summary>
    /// A page of a new browser context at the given size (1280×800 by default), signed in as the demo user of
    /// <paramref name="role"/> (a physician by default; null: not signed in).
    /// </summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800, string? role = ClinicianPortal.Identity.Roles.Physician)
    {
        var page = await NewAnonymousPageAsync(width, height);
        if (role is not null) await SignInAsync(page, role);
        return page;
    }

    /// <summary>Signs in through the sign-in page as the demo user of <paramref name="role"/> and waits for the start page.</summary>
    public static async Task SignInAsync(IPage page, string role, string password = DemoPassword)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("login");
        await page.GetByLabel("User name").FillAsync(role);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.Ordinal));
    }

    private async Task<IPage> NewAnonymousPageAsync(int width, int height)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = BaseAddress.ToString() });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        page.Console += (_, message) => { if (message.Type is "error" or "warning") Console.WriteLine($"browser {message.Type}: {message.Text}"); };
        page.PageError += (_, error) => Console.WriteLine("browser page error: " + error);
        return page;
    }

    /// <summary>Opens a page and waits until its circuit is up, so that input reaches the server.</summary>
    public static async Task GotoInteractiveAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeAttachedAsync();
    }

    /// <summary>Saves a full-page screenshot under the test artifacts and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(TestEnvironment.ArtifactsDirectory("screenshots"), name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        if (factory is not null) await factory.DisposeAsync();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>Settings of the app under test beyond the browser tests' defaults (e.g. an optional language model).</summary>
    protected virtual IReadOnlyList<(string Key, string Value)> AppSettings() => [];

    /// <summary>What the app imports on first run: its shipped sample cohort (a few Synthea bundles while a checkout has none).</summary>
    /// <summary>A sample folder holding only the shipped pulmonary-embolism patient: for fixtures that need one known case.</summary>
    protected string OnePatientSampleDirectory()
    {
        var folder = Directory.CreateDirectory(Path.Combine(dataDirectory, "one-patient")).FullName;
        File.Copy(Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal", "SampleData", "patient-0010-pulmonary-embolism.json"),
            Path.Combine(folder, "patient-0010-pulmonary-embolism.json"), overwrite: true);
        return folder;
    }

    protected virtual string SampleDataDirectory()
    {
        var shipped = Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal", "SampleData");
        if (Directory.Exists(shipped) && Directory.EnumerateFiles(shipped, "*.json", SearchOption.AllDirectories).Any()) return shipped;
        var folder = Directory.CreateDirectory(Path.Combine(dataDirectory, "sample")).FullName;
        foreach (var file in Directory.GetFiles(TestEnvironment.SharedData("synthea"), "*.json").Order(StringComparer.Ordinal).Take(3))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    /// <summary>
    /// WebApplicationFactory builds the app as Program.cs does; this one builds it a second time on Kestrel
    /// (the browser needs a real socket);
    /// the in-memory TestServer copy is configured not to import, so that the first-run import happens once.
    /// </summary>
    private sealed class KestrelFactory(string dataDirectory, string sampleDirectory, IReadOnlyList<(string Key, string Value)> settings) : WebApplicationFactory<Program>
    {
        private IHost? kestrelHost;

        public Uri StartKestrel()
        {
            _ = Server; // builds the hosts (CreateHost below)
            var addresses = kestrelHost!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>() ?? throw new InvalidOperationException("Kestrel reports no address");
            return new Uri(addresses.Addresses.First());
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Storage:Provider", "Sqlite");
            builder.UseSetting("Storage:SampleDataDirectory", sampleDirectory);
            builder.UseSetting("ConnectionStrings:Portal", "");
            builder.UseSetting("Identity:DemoPassword", DemoPassword);
            builder.UseSetting("Identity:OpenPageRecheckSeconds", OpenPageRecheckSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }

        protected override IHost CreateHost(IHostBuilder builder)
        {
            // Program.cs runs (and so starts) both hosts: the unused in-memory one gets a data folder of its
            // own and imports nothing, so that it never races the Kestrel host for the key file or the database.
            builder.ConfigureWebHost(web => web
                .UseSetting("Storage:SeedSampleData", "false")
                .UseSetting("Storage:DataDirectory", Path.Combine(dataDirectory, "unused-test-server")));
            var testHost = builder.Build();
            builder.ConfigureWebHost(web => web
                .UseKestrel().UseUrls("http://127.0.0.1:0")
                .UseSetting("Storage:SeedSampleData", "true")
                .UseSetting("Storage:DataDirectory", Path.Combine(dataDirectory, "app")));
            kestrelHost = builder.Build();
            kestrelHost.Start();
            return testHost;
        }

        public override async ValueTask DisposeAsync()
        {
            if (kestrelHost is not null)
            {
                await kestrelHost.StopAsync();
                kestrelHost.Dispose();
            }
            await base.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PortalAppCollection : ICollectionFixture<PortalAppFixture>
{
    public const string Name = "Portal app in chromium";
}

/// <summary>The app with one patient of 10,000 observations as its only sample data.</summary>
public sealed class LongRecordAppFixture : PortalAppFixture
{
    public const int Observations = 10_000;

    protected override string SampleDataDirectory()
    {
        var folder = Directory.CreateDirectory(Path.Combine(dataDirectory, "long-record")).FullName;
        var generator = new ClinicianPortal.Shared.Records.Synthetic.CohortGenerator(new() { ObservationsPerPatient = Observations });
        using var file = File.Create(Path.Combine(folder, "long-record.json"));
        generator.GeneratePatient(1, seed: 7, file);
        return folder;
    }
}

// Run after the other browser tests rather than beside them: two apps and two browsers on two cores time out.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LongRecordAppCollection : ICollectionFixture<LongRecordAppFixture>
{
    public const string Name = "Portal app with a 10,000-observation record";
}
