using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClinicianPortal.Annotations;
using ClinicianPortal.Api.CdsHooks;
using ClinicianPortal.Audit;
using ClinicianPortal.Data;
using ClinicianPortal.Tests.Import;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicianPortal.Tests.Api;

/// <summary>
/// CDS Hooks 2.0 round trips under /cds-services: discovery, a patient-view call with the prefetch a FHIR server would give
/// for a Synthea patient, the cards, nothing stored but the audit record, and feedback.
/// </summary>
public sealed partial class CdsHooksApiTests : IAsyncLifetime
{
    private const string PortalBase = "https://portal.example.org";
    private const string Service = "/cds-services/" + CdsHooksApi.PatientViewServiceId;
    private readonly ApiHost host = new(new Dictionary<string, string?> { ["CdsHooks:PortalBaseUrl"] = PortalBase + "/" });
    private string key = "";

    public async Task InitializeAsync() => key = await host.CreateKeyAsync("case-review");
    public async Task DisposeAsync() => await host.DisposeAsync();

    private IPatientStore Store => host.Services.GetRequiredService<IPatientStore>();

    /// <summary>
    /// The prefetch a FHIR server would answer for the bundle's patient: the Patient, and searchset Bundles of its
    /// Conditions, Observations and MedicationRequests, with server-style references (Type/id instead of urn:uuid).
    /// </summary>
    internal static (string PatientId, Dictionary<string, JsonNode?> Prefetch) PrefetchFrom(string bundlePath)
    {
        var bundle = JsonNode.Parse(File.ReadAllText(bundlePath))!;
        var resources = bundle["entry"]!.AsArray().Select(e => (FullUrl: (string?)e!["fullUrl"], Resource: e["resource"]!)).ToList();
        var byUrl = resources.Where(r => r.FullUrl is not null)
            .ToDictionary(r => r.FullUrl!, r => $"{(string)r.Resource["resourceType"]!}/{(string)r.Resource["id"]!}");
        var text = UrnReference().Replace(bundle.ToJsonString(), m => byUrl.TryGetValue(m.Groups[1].Value, out var typed) ? $"\"reference\":\"{typed}\"" : m.Value);
        var server = JsonNode.Parse(text)!["entry"]!.AsArray().Select(e => e!["resource"]!).ToList();

        var patient = server.Single(r => (string?)r["resourceType"] == "Patient");
        var patientId = (string)patient["id"]!;
        JsonNode Search(string type) => new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "searchset",
            ["entry"] = new JsonArray([.. server.Where(r => (string?)r["resourceType"] == type).Select(r => (JsonNode)new JsonObject
            {
                ["fullUrl"] = $"https://fhir.example.org/{type}/{(string)r["id"]!}",
                ["resource"] = r.DeepClone(),
                ["search"] = new JsonObject { ["mode"] = "match" },
            })]),
        };
        return (patientId, new Dictionary<string, JsonNode?>
        {
            ["patient"] = patient.DeepClone(),
            ["conditions"] = Search("Condition"),
            ["observations"] = Search("Observation"),
            ["medications"] = Search("MedicationRequest"),
            ["encounters"] = Search("Encounter"),
            ["notes"] = Search("DocumentReference"),
        });
    }

    [GeneratedRegex("\"reference\":\"(urn:uuid:[^\"]+)\"")]
    private static partial Regex UrnReference();

    private static object HookRequest(string patientId, Dictionary<string, JsonNode?>? prefetch) => new
    {
        hook = "patient-view",
        hookInstance = Guid.NewGuid().ToString(),
        context = new { userId = "Practitioner/example", patientId },
        prefetch,
    };

    private async Task<JsonElement[]> CallAsync(string patientId, Dictionary<string, JsonNode?> prefetch)
    {
        using var response = await host.PostJsonAsync(Service, key, HookRequest(patientId, prefetch));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("cards").EnumerateArray().Select(c => c.Clone())];
    }

    [Fact]
    public async Task Discovery_lists_the_patient_view_service_with_its_prefetch_templates_without_a_key()
    {
        var discovery = await host.GetJsonAsync("/cds-services", key: null!);

        var service = Assert.Single(discovery.GetProperty("services").EnumerateArray());
        Assert.Equal(CdsHooksApi.PatientViewServiceId, service.GetProperty("id").GetString());
        Assert.Equal("patient-view", service.GetProperty("hook").GetString());
        Assert.False(string.IsNullOrWhiteSpace(service.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(service.GetProperty("description").GetString()));
        var prefetch = service.GetProperty("prefetch");
        Assert.Equal("Patient/{{context.patientId}}", prefetch.GetProperty("patient").GetString());
        Assert.Equal("Condition?patient={{context.patientId}}", prefetch.GetProperty("conditions").GetString());
        Assert.Equal("Observation?patient={{context.patientId}}", prefetch.GetProperty("observations").GetString());
        Assert.Equal("MedicationRequest?patient={{context.patientId}}", prefetch.GetProperty("medications").GetString());
        Assert.Equal("Encounter?patient={{context.patientId}}", prefetch.GetProperty("encounters").GetString());
    }

    [Fact]
    public async Task A_patient_view_call_returns_cards_for_the_differential_and_stores_nothing_but_its_audit_record()
    {
        var (patientId, prefetch) = PrefetchFrom(ImportFiles.Small1);
        Assert.True((await host.ImportAsync(ImportFiles.Small2))[0].Succeeded);
        var patientsBefore = await Store.CountPatientsAsync();

        var cards = await CallAsync(patientId, prefetch);

        Assert.InRange(cards.Length, 1, 20);
        Assert.All(cards, card =>
        {
            Assert.True(Guid.TryParse(card.GetProperty("uuid").GetString(), out _));
            var summary = card.GetProperty("summary").GetString()!;
            Assert.InRange(summary.Length, 1, 140);
            Assert.Matches(@"^(Consider|Can't miss) .+ \((<1|\d{1,3})%\)$", summary);
            Assert.Contains(card.GetProperty("indicator").GetString(), new[] { "info", "warning", "critical" });
            Assert.False(string.IsNullOrWhiteSpace(card.GetProperty("detail").GetString()));
            Assert.StartsWith("ClinicianPortal differential (differential-kb ", card.GetProperty("source").GetProperty("label").GetString(), StringComparison.Ordinal);
            Assert.Equal(PortalBase, card.GetProperty("source").GetProperty("url").GetString());
            var link = Assert.Single(card.GetProperty("links").EnumerateArray());
            Assert.StartsWith(PortalBase + "/patients/", link.GetProperty("url").GetString(), StringComparison.Ordinal);
            Assert.Equal("absolute", link.GetProperty("type").GetString());
        });
        Assert.Equal(cards.Length, cards.Select(c => c.GetProperty("uuid").GetString()).Distinct().Count());
        Assert.StartsWith("Consider", cards[0].GetProperty("summary").GetString()!.Replace("Can't miss", "Consider", StringComparison.Ordinal), StringComparison.Ordinal);

        Assert.Equal(patientsBefore, await Store.CountPatientsAsync());
        var audit = Assert.Single((await host.Services.GetRequiredService<AuditStore>().PageAsync(0, 10)).Items);
        Assert.StartsWith("api-key:", audit.UserName, StringComparison.Ordinal);
        Assert.All(cards, c => Assert.Contains(c.GetProperty("uuid").GetString()!, audit.OutputJson, StringComparison.Ordinal));
        var call = (await host.CallLog.RecentAsync(1))[0];
        Assert.Equal("/cds-services/{serviceId}", call.Route);
        Assert.Equal(200, call.Status);
    }

    [Fact]
    public async Task The_card_link_opens_the_stored_patient_when_the_same_patient_was_imported_into_the_portal()
    {
        var (patientId, prefetch) = PrefetchFrom(ImportFiles.Small1);
        Assert.True((await host.ImportAsync(ImportFiles.Small1))[0].Succeeded);
        var stored = (await Store.SearchAsync(new PatientQuery { Take = 1 })).Items[0].Patient.Id;

        var cards = await CallAsync(patientId, prefetch);

        Assert.Equal($"{PortalBase}/patients/{Uri.EscapeDataString(stored)}", cards[0].GetProperty("links")[0].GetProperty("url").GetString());
        Assert.Equal(1, await Store.CountPatientsAsync());
    }

    [Fact]
    public async Task A_call_without_the_prefetch_gets_412_because_the_service_does_not_query_fhir_servers()
    {
        var (patientId, prefetch) = PrefetchFrom(ImportFiles.Small1);
        prefetch.Remove("observations");

        using var partial = await host.PostJsonAsync(Service, key, HookRequest(patientId, prefetch));
        var problem = await ApiHost.AssertProblemAsync(partial, 412);
        Assert.Contains("observations", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var none = await host.PostJsonAsync(Service, key, HookRequest(patientId, null));
        await ApiHost.AssertProblemAsync(none, 412);
        Assert.Empty((await host.Services.GetRequiredService<AuditStore>().PageAsync(0, 10)).Items);
    }

    [Fact]
    public async Task Bad_calls_get_problems_an_unknown_service_404_and_a_key_without_the_scope_403()
    {
        var (patientId, prefetch) = PrefetchFrom(ImportFiles.Small1);

        using var otherPatient = await host.PostJsonAsync(Service, key, HookRequest("someone-else", prefetch));
        await ApiHost.AssertProblemAsync(otherPatient, 400);
        using var wrongHook = await host.PostJsonAsync(Service, key, new { hook = "order-sign", hookInstance = "x", context = new { patientId }, prefetch });
        await ApiHost.AssertProblemAsync(wrongHook, 400);
        using var unknown = await host.PostJsonAsync("/cds-services/no-such-service", key, HookRequest(patientId, prefetch));
        await ApiHost.AssertProblemAsync(unknown, 404);
        using var readOnly = await host.PostJsonAsync(Service, await host.CreateKeyAsync("read"), HookRequest(patientId, prefetch));
        Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
        using var anonymous = await host.PostJsonAsync(Service, null, HookRequest(patientId, prefetch));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Feedback_accepted_and_overridden_is_stored_per_card_with_the_reason_but_not_the_free_text_comment()
    {
        var (patientId, prefetch) = PrefetchFrom(ImportFiles.Small1);
        var cards = await CallAsync(patientId, prefetch);
        var accepted = cards[0].GetProperty("uuid").GetString()!;
        var overridden = Guid.NewGuid().ToString(); // any card uuid a client holds
        var at = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

        using var response = await host.PostJsonAsync(Service + "/feedback", key, new
        {
            feedback = new object[]
            {
                new { card = accepted, outcome = "accepted", outcomeTimestamp = at },
                new
                {
                    card = overridden, outcome = "overridden", outcomeTimestamp = at.AddMinutes(1),
                    overrideReason = new { reason = new { code = "already-evaluated", system = "https://example.org/reasons", display = "Already evaluated" }, userComment = "Jane Doe said so" },
                },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var feedbackStore = host.Services.GetRequiredService<CdsFeedbackStore>();
        var a = Assert.Single(await feedbackStore.ForCardAsync(accepted));
        Assert.Equal(("accepted", CdsHooksApi.PatientViewServiceId, at), (a.Outcome, a.ServiceId, a.OutcomeAt));
        Assert.NotNull(a.KeyId);
        var o = Assert.Single(await feedbackStore.ForCardAsync(overridden));
        Assert.Equal(("overridden", "already-evaluated", "Already evaluated"), (o.Outcome, o.OverrideCode, o.OverrideDisplay));

        using var bad = await host.PostJsonAsync(Service + "/feedback", key, new { feedback = new[] { new { card = accepted, outcome = "ignored", outcomeTimestamp = at } } });
        await ApiHost.AssertProblemAsync(bad, 400);
        Assert.Single(await feedbackStore.ForCardAsync(accepted));
    }

    [Fact]
    public async Task Feedback_on_issued_cards_becomes_annotations_of_the_card_entry_on_the_call_audit_record()
    {
        var (patientId, prefetch) = PrefetchFrom(PulmonaryEmbolismSample);
        var cards = await CallAsync(patientId, prefetch);
        var call = Assert.Single((await host.Services.GetRequiredService<AuditStore>().PageAsync(0, 10)).Items);
        var (first, second) = (cards[0], cards[1]);
        var at = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

        using var response = await host.PostJsonAsync(Service + "/feedback", key, new
        {
            feedback = new object[]
            {
                new { card = first.GetProperty("uuid").GetString()!.ToUpperInvariant(), outcome = "accepted", outcomeTimestamp = at },
                new
                {
                    card = second.GetProperty("uuid").GetString(), outcome = "overridden", outcomeTimestamp = at.AddMinutes(1),
                    overrideReason = new { reason = new { code = "already-evaluated", system = "https://example.org/reasons", display = "Already evaluated" }, userComment = "Jane Doe said so" },
                },
                new { card = Guid.NewGuid().ToString(), outcome = "accepted", outcomeTimestamp = at }, // not a card of ours: kept, not annotated
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var threads = (await host.Services.GetRequiredService<AnnotationStore>().ThreadsAsync(new AnnotationQuery())).Items.Select(t => t.Thread).OrderBy(t => t.Id).ToList();
        Assert.Equal(2, threads.Count);
        Assert.All(threads, t => Assert.Equal((call.Id, call.PatientPseudonym, AnnotationSource.CdsHooks, "cds-client"), (t.AuditRecordId, t.PatientId, t.Source, t.AuthorRole)));
        Assert.All(threads, t => Assert.StartsWith("api-key:", t.Author, StringComparison.Ordinal));
        // The target is the entry the card showed: its condition's card summary names it, and the audit output holds the card.
        Assert.Equal([first.GetProperty("summary").GetString(), second.GetProperty("summary").GetString()], threads.Select(t => t.TargetText));
        Assert.All(threads, t => Assert.Matches("^differential/[a-z0-9-]+$", t.Target));
        Assert.Equal([Shared.Governance.Annotations.AnnotationVerdict.Agree, Shared.Governance.Annotations.AnnotationVerdict.Disagree], threads.Select(t => t.Verdict!.Value));
        Assert.Equal("Overridden in the EHR: Already evaluated (https://example.org/reasons|already-evaluated)", threads[1].Comment);
        Assert.DoesNotContain("Jane", threads[1].Comment, StringComparison.Ordinal);
        Assert.Equal(at.AddMinutes(1), threads[1].CreatedAt);
        Assert.Contains(first.GetProperty("uuid").GetString()!, call.OutputJson, StringComparison.Ordinal);
    }

    private static readonly string PulmonaryEmbolismSample =
        Path.Combine(Infrastructure.TestEnvironment.RepositoryRoot, "ClinicianPortal", "SampleData", "patient-0010-pulmonary-embolism.json");

    [Fact]
    public async Task An_emergency_visit_with_pulmonary_embolism_findings_leads_with_a_critical_cant_miss_card()
    {
        var (patientId, prefetch) = PrefetchFrom(PulmonaryEmbolismSample);

        var cards = await CallAsync(patientId, prefetch);

        var pe = cards.First(c => c.GetProperty("summary").GetString()!.Contains("Pulmonary embolism", StringComparison.Ordinal));
        Assert.StartsWith("Can't miss Pulmonary embolism (", pe.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("critical", pe.GetProperty("indicator").GetString());
        Assert.Contains("Supporting: ", pe.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Not prefetched", pe.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(cards, c => c.GetProperty("indicator").GetString() == "info");
    }

    [Fact]
    public async Task Without_the_optional_encounters_and_notes_the_cards_say_what_the_review_did_not_see()
    {
        var (patientId, prefetch) = PrefetchFrom(PulmonaryEmbolismSample);
        prefetch.Remove("encounters");
        prefetch.Remove("notes");
        prefetch["medications"] = null; // a search the client answered with nothing

        var cards = await CallAsync(patientId, prefetch);

        Assert.All(cards, c => Assert.Contains("Not prefetched, so not reviewed: encounters, notes (without encounters the priors are those of primary care).",
            c.GetProperty("detail").GetString(), StringComparison.Ordinal));
    }
}
