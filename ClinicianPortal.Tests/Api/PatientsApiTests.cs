using System.Text.Json;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Records;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicianPortal.Tests.Api;

/// <summary>GET /api/v1/patients..., against three imported Synthea patients, compared with what the store (the UI's source) says.</summary>
public sealed class PatientsApiTests(SeededApiHost seeded) : IClassFixture<SeededApiHost>
{
    private ApiHost Host => seeded.Host;
    private string Key => seeded.ReadKey;
    private IPatientStore Store => Host.Services.GetRequiredService<IPatientStore>();

    private static List<string> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];

    [Fact]
    public async Task Patient_list_pages_through_every_patient_with_the_total()
    {
        var first = await Host.GetJsonAsync("/api/v1/patients?pageSize=2", Key);
        var second = await Host.GetJsonAsync("/api/v1/patients?pageSize=2&page=2", Key);

        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.Equal((1, 2), (first.GetProperty("page").GetInt32(), first.GetProperty("pageSize").GetInt32()));
        Assert.Equal(2, Ids(first).Count);
        Assert.Single(Ids(second));
        var all = (await Store.SearchAsync(new PatientQuery())).Items.Select(i => i.Patient.Id);
        Assert.Equal(all, Ids(first).Concat(Ids(second)));
    }

    [Fact]
    public async Task Patient_list_filters_and_sorts_as_the_patient_store_does()
    {
        var patient = (await Store.SearchAsync(new PatientQuery())).Items.First(i => i.ActiveProblems.Count > 0);
        var problem = patient.ActiveProblems[0];
        var word = problem.Split(' ')[0];

        var page = await Host.GetJsonAsync($"/api/v1/patients?sex={patient.Patient.Sex}&condition={Uri.EscapeDataString(word)}&sort=eventCount&descending=true", Key);

        var expected = await Store.SearchAsync(new PatientQuery { Sex = patient.Patient.Sex, Condition = word, SortBy = PatientSort.EventCount, Descending = true });
        Assert.Contains(patient.Patient.Id, Ids(page));
        Assert.Equal(expected.Items.Select(i => i.Patient.Id), Ids(page));
        Assert.Equal(expected.Total, page.GetProperty("total").GetInt32());
        var item = page.GetProperty("items").EnumerateArray().First(i => i.GetProperty("id").GetString() == patient.Patient.Id);
        Assert.Equal(patient.EventCount, item.GetProperty("eventCount").GetInt32());
        Assert.Contains(problem, item.GetProperty("activeProblems").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(patient.Patient.AgeBand, item.GetProperty("ageBand").GetString());
    }

    [Fact]
    public async Task Patient_list_rejects_bad_paging_sort_and_age_band_with_an_error_per_parameter()
    {
        using var response = await Host.GetAsync("/api/v1/patients?page=0&pageSize=abc&sort=height&descending=maybe", Key);
        var problem = await ApiHost.AssertProblemAsync(response, 400);
        var errors = problem.GetProperty("errors");
        foreach (var parameter in new[] { "page", "pageSize", "sort", "descending" })
            Assert.True(errors.TryGetProperty(parameter, out var messages) && messages.GetArrayLength() > 0, parameter);

        using var band = await Host.GetAsync("/api/v1/patients?ageBand=old", Key);
        var bandProblem = await ApiHost.AssertProblemAsync(band, 400);
        Assert.Contains("40-49", bandProblem.GetProperty("errors").GetProperty("ageBand")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patient_detail_has_demographics_and_the_deidentified_patient_resource()
    {
        var stored = (await Store.SearchAsync(new PatientQuery())).Items[0].Patient;

        var patient = await Host.GetJsonAsync($"/api/v1/patients/{stored.Id}", Key);

        Assert.Equal(stored.Id, patient.GetProperty("id").GetString());
        Assert.Equal(stored.Sex, patient.GetProperty("sex").GetString());
        Assert.Equal(stored.AgeText, patient.GetProperty("age").GetString());
        var source = patient.GetProperty("source");
        Assert.Equal(JsonValueKind.Object, source.ValueKind);
        Assert.Equal("Patient", source.GetProperty("resourceType").GetString());
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(stored.SourceJson).RootElement), JsonSerializer.Serialize(source));
    }

    [Theory]
    [InlineData("/api/v1/patients/no-such-patient")]
    [InlineData("/api/v1/patients/no-such-patient/timeline")]
    [InlineData("/api/v1/patients/no-such-patient/record")]
    public async Task Unknown_patient_ids_get_a_404_problem(string path)
    {
        using var response = await Host.GetAsync(path, Key);
        var problem = await ApiHost.AssertProblemAsync(response, 404);
        Assert.Contains("no-such-patient", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeline_lists_every_event_in_order_with_its_source_resource()
    {
        var patientId = (await Store.SearchAsync(new PatientQuery())).Items[0].Patient.Id;
        var events = await Store.GetEventsAsync(patientId);

        var page = await Host.GetJsonAsync($"/api/v1/patients/{patientId}/timeline?pageSize=1000", Key);

        Assert.Equal(events.Count, page.GetProperty("total").GetInt32());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(events.Select(e => e.Id), items.Select(i => i.GetProperty("id").GetString()));
        var starts = items.Select(i => i.GetProperty("start")).Where(s => s.ValueKind != JsonValueKind.Null).Select(s => s.GetDateTimeOffset()).ToList();
        Assert.Equal(starts.Order(), starts);
        Assert.All(items, i => Assert.Equal(i.GetProperty("resourceType").GetString(), i.GetProperty("source").GetProperty("resourceType").GetString()));
        Assert.Contains(items, i => i.GetProperty("kind").GetString() == "Observation" && i.GetProperty("value").ValueKind == JsonValueKind.Object);
    }

    [Fact]
    public async Task Timeline_filters_by_kind_and_dates_and_pages()
    {
        var patientId = (await Store.SearchAsync(new PatientQuery())).Items[0].Patient.Id;
        var events = await Store.GetEventsAsync(patientId);
        var conditions = events.Where(e => e.Kind is EventKind.Condition or EventKind.Encounter).ToList();
        var dated = events.Where(e => e.Start is not null).ToList();
        var middle = dated[dated.Count / 2].Start!.Value;
        var from = middle.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var byKind = await Host.GetJsonAsync($"/api/v1/patients/{patientId}/timeline?kind=condition,Encounter&pageSize=1000", Key);
        var byDate = await Host.GetJsonAsync($"/api/v1/patients/{patientId}/timeline?from={from}&pageSize=1000", Key);
        var paged = await Host.GetJsonAsync($"/api/v1/patients/{patientId}/timeline?page=2&pageSize=5", Key);

        Assert.Equal(conditions.Select(e => e.Id), Ids(byKind));
        var since = DateTimeOffset.Parse(from + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(dated.Where(e => e.Start >= since).Select(e => e.Id), Ids(byDate));
        Assert.True(Ids(byDate).Count < events.Count);
        Assert.Equal(events.Skip(5).Take(5).Select(e => e.Id), Ids(paged));
        Assert.Equal(events.Count, paged.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Timeline_rejects_an_unknown_kind_and_an_inverted_date_range()
    {
        var patientId = (await Store.SearchAsync(new PatientQuery())).Items[0].Patient.Id;

        using var response = await Host.GetAsync($"/api/v1/patients/{patientId}/timeline?kind=Condition,Vibes&from=2020-02-01&to=2020-01-01", Key);

        var errors = (await ApiHost.AssertProblemAsync(response, 400)).GetProperty("errors");
        Assert.Contains("Vibes", errors.GetProperty("kind")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("to", out _));
    }

    [Fact]
    public async Task Record_gives_the_views_the_patient_page_derives()
    {
        var patientId = (await Store.SearchAsync(new PatientQuery { SortBy = PatientSort.EventCount, Descending = true })).Items[0].Patient.Id;
        var expected = PatientRecord.Build((await Store.GetPatientAsync(patientId))!, await Store.GetEventsAsync(patientId));

        var record = await Host.GetJsonAsync($"/api/v1/patients/{patientId}/record", Key);

        Assert.Equal(patientId, record.GetProperty("patient").GetProperty("id").GetString());
        Assert.Equal(expected.ActiveProblems.Select(e => e.Id), record.GetProperty("problems").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(expected.ActiveMedications.Select(e => e.Id), record.GetProperty("medications").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(expected.Allergies.Select(e => e.Id), record.GetProperty("allergies").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.NotEmpty(expected.Labs);
        Assert.Equal(expected.Labs.Select(s => (s.Code, s.Points.Count)),
            record.GetProperty("labs").EnumerateArray().Select(s => (s.GetProperty("code").GetString()!, s.GetProperty("points").GetArrayLength())));
        Assert.Equal(expected.Vitals.Select(s => s.Code), record.GetProperty("vitals").EnumerateArray().Select(s => s.GetProperty("code").GetString()));
        var point = record.GetProperty("labs")[0].GetProperty("points")[0];
        Assert.Equal(expected.Labs[0].Points[0].EventId, point.GetProperty("eventId").GetString());
        Assert.Equal(expected.Labs[0].Points[0].Value, point.GetProperty("value").GetDouble());
    }
}
