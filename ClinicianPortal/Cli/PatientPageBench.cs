using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ClinicianPortal.Data;
using ClinicianPortal.Identity;
using ClinicianPortal.Import;
using ClinicianPortal.Shared.Records.Synthetic;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Caching.Memory;

namespace ClinicianPortal.Cli;

/// <summary>
/// `bench patient-page`: the server render time of the patient page (the prerendered HTML a GET returns)
/// for a generated patient with 10,000 observations, beside a typical sample patient as the reference,
/// in the same in-process app on Kestrel with a throw-away SQLite store. "Cold" clears the app's memory
/// cache first, so the record is loaded from the store and its views rebuilt; "warm" is the second render
/// (the circuit's) that reuses the loaded record.
/// </summary>
internal static partial class PatientPageBench
{
    private const string BenchPassword = "bench-password-1";
    private const int Runs = 20;
    private const int Seed = 20251121;

    public static async Task<int> RunAsync()
    {
        var root = Directory.CreateTempSubdirectory("clinicianportal-bench-").FullName;
        try
        {
            var files = Path.Combine(root, "in");
            Directory.CreateDirectory(files);
            new CohortGenerator().GenerateCohort(1, Seed, name => File.Create(Path.Combine(files, "typical-" + name)));
            new CohortGenerator(new CohortOptions { ObservationsPerPatient = 10_000 })
                .GenerateCohort(1, Seed + 1, name => File.Create(Path.Combine(files, "long-" + name)));

            await using var app = PortalApp.Build(
                ["--urls", "http://127.0.0.1:0", "--environment", "Production"],
                b =>
                {
                    b.Configuration["Storage:Provider"] = "Sqlite";
                    b.Configuration["Storage:DataDirectory"] = Path.Combine(root, "data");
                    b.Configuration["Storage:SeedSampleData"] = "false";
                    b.Configuration["Identity:DemoPassword"] = BenchPassword;
                    b.Logging.SetMinimumLevel(LogLevel.Warning);
                });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

            var import = await app.Services.GetRequiredService<ImportService>().ImportAsync([files]);
            if (import.Failed > 0)
            {
                Console.Error.WriteLine("bench: the generated patients could not be imported: " + string.Join("; ", import.Files.Select(f => f.Error)));
                return 1;
            }
            var patients = (await app.Services.GetRequiredService<IPatientStore>().SearchAsync(new PatientQuery { SortBy = PatientSort.EventCount })).Items;
            var cache = (MemoryCache)app.Services.GetRequiredService<IMemoryCache>();
            // Pages need a signed-in user: sign in as the demo physician, and fail rather than time a redirect.
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(address) };
            await SignInAsync(http, Roles.Physician, BenchPassword);

            Console.WriteLine($"Patient page, server render (GET /patients/{{id}}, prerendered HTML), median of {Runs}; {Environment.ProcessorCount} cores; load average {BenchCommand.LoadAverage()}");
            Console.WriteLine($"{"patient",-28} {"events",7} {"cold median ms",15} {"cold p90 ms",12} {"warm median ms",15} {"HTML KB",8}");
            foreach (var item in patients)
            {
                var path = $"/patients/{item.Patient.Id}";
                var bytes = (await http.GetByteArrayAsync(path)).Length; // warm-up: JIT, connection
                var cold = new List<double>();
                var warm = new List<double>();
                for (var i = 0; i < Runs; i++)
                {
                    cache.Compact(1.0);
                    cold.Add(await TimeGetAsync(http, path));
                    warm.Add(await TimeGetAsync(http, path));
                }
                var label = item.EventCount > 5_000 ? "10,000 observations" : "typical (reference)";
                Console.WriteLine($"{label,-28} {item.EventCount,7:N0} {Percentile(cold, 0.5),15:F1} {Percentile(cold, 0.9),12:F1} {Percentile(warm, 0.5),15:F1} {bytes / 1024.0,8:F0}");
            }
            await app.StopAsync();
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { /* best effort */ }
        }
    }

    /// <summary>Posts the sign-in form with its hidden fields (antiforgery token, form name), as a browser does.</summary>
    private static async Task SignInAsync(HttpClient http, string userName, string password)
    {
        var form = await http.GetStringAsync("/login");
        var fields = HiddenInput().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["Input.UserName"] = userName;
        fields["Input.Password"] = password;
        using var response = await http.PostAsync("/login", new FormUrlEncodedContent(fields));
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"bench: signing in failed ({(int)response.StatusCode})");
    }

    [GeneratedRegex("""<input type="hidden" name="([^"]+)" value="([^"]*)" */?>""")]
    private static partial Regex HiddenInput();

    private static async Task<double> TimeGetAsync(HttpClient http, string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Round(p * (sorted.Count - 1))];
    }
}
