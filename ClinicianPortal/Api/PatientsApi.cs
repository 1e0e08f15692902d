using ClinicianPortal.Components.Patients;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Records;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClinicianPortal.Api;

/// <summary>
/// GET /api/v1/patients...: the patient list, one patient, the timeline and the derived views, read through the
/// same store and record loader as the patient pages.
/// </summary>
public static class PatientsApi
{
    public const int MaxPatientPageSize = 200;
    public const int MaxTimelinePageSize = 1000;

    public static RouteGroupBuilder MapPatientsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var patients = api.MapGroup("/patients").WithTags("Patients");

        patients.MapGet("", ListAsync).WithName("ListPatients")
            .WithSummary("List patients")
            .WithDescription("Pseudonymous patients matching the filters, one page at a time. `search` matches part of the id, " +
                "`condition` part of an active problem's text, `ageBand` is \"40-49\", \"90+\" or \"unknown\". " +
                "Sort by id, age, sex, lastSeen or eventCount.")
            .ProducesValidationProblem();

        patients.MapGet("/{patientId}", GetAsync).WithName("GetPatient")
            .WithSummary("Get a patient")
            .WithDescription("The de-identified demographics and the stored (de-identified) FHIR Patient resource as `source`.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        patients.MapGet("/{patientId}/timeline", TimelineAsync).WithName("GetPatientTimeline")
            .WithSummary("Get a patient's timeline")
            .WithDescription("Every event, oldest first (undated events last), each with its source FHIR resource. Filter by `kind` " +
                "(comma-separated: Encounter, Condition, Observation, Medication, Procedure, Allergy, Immunization, Report, Note, CarePlan) " +
                "and by `from` / `to` (a date, whole UTC day, or an ISO 8601 instant; undated events are left out when either is given).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        patients.MapGet("/{patientId}/record", RecordAsync).WithName("GetPatientRecord")
            .WithSummary("Get a patient's derived views")
            .WithDescription("Active problems, active medications and allergies (latest entry per code, most recent first), " +
                "and the lab (per LOINC code) and vital-sign series, as the patient page shows them.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    private static async Task<Results<Ok<PageDto<PatientListItemDto>>, ValidationProblem>> ListAsync(
        IPatientStore store, string? search, string? ageBand, string? sex, string? condition, string? sort, string? descending,
        string? page, string? pageSize, CancellationToken cancellationToken)
    {
        var q = new ApiQuery();
        var pageNumber = q.Int(nameof(page), page, 1, 1, int.MaxValue / MaxPatientPageSize);
        var size = q.Int(nameof(pageSize), pageSize, 50, 1, MaxPatientPageSize);
        var sortBy = q.Enum<PatientSort>(nameof(sort), sort) ?? PatientSort.Id;
        var descend = q.Bool(nameof(descending), descending);
        if (!q.IsValid) return TypedResults.ValidationProblem(q.Errors);

        var query = new PatientQuery
        {
            Search = search, AgeBand = ageBand, Sex = sex, Condition = condition, SortBy = sortBy, Descending = descend,
            Skip = (pageNumber - 1) * size, Take = size,
        };
        Page<PatientListItem> result;
        try
        {
            result = await store.SearchAsync(query, cancellationToken);
        }
        catch (ArgumentException ex) when (ex.ParamName == "band")
        {
            q.Error(nameof(ageBand), ex.Message.Split(" (Parameter", 2)[0]);
            return TypedResults.ValidationProblem(q.Errors);
        }
        return TypedResults.Ok(new PageDto<PatientListItemDto>([.. result.Items.Select(PatientListItemDto.From)], pageNumber, size, result.Total));
    }

    private static async Task<Results<Ok<PatientDto>, ProblemHttpResult>> GetAsync(IPatientStore store, string patientId, CancellationToken cancellationToken) =>
        await store.GetPatientAsync(patientId, cancellationToken) is { } patient ? TypedResults.Ok(PatientDto.From(patient)) : PatientNotFound(patientId);

    private static async Task<Results<Ok<PageDto<EventDto>>, ValidationProblem, ProblemHttpResult>> TimelineAsync(
        IPatientStore store, string patientId, string? kind, string? from, string? to, string? page, string? pageSize, CancellationToken cancellationToken)
    {
        var q = new ApiQuery();
        var kinds = q.EnumSet<EventKind>(nameof(kind), kind);
        var lower = q.Bound(nameof(from), from, upper: false);
        var upper = q.Bound(nameof(to), to, upper: true);
        if (lower > upper) q.Error(nameof(to), "Must not be before 'from'.");
        var pageNumber = q.Int(nameof(page), page, 1, 1, int.MaxValue / MaxTimelinePageSize);
        var size = q.Int(nameof(pageSize), pageSize, 100, 1, MaxTimelinePageSize);
        if (!q.IsValid) return TypedResults.ValidationProblem(q.Errors);

        if (await store.GetPatientAsync(patientId, cancellationToken) is null) return PatientNotFound(patientId);
        var events = (await store.GetEventsAsync(patientId, cancellationToken))
            .Where(e => kinds.Count == 0 || kinds.Contains(e.Kind))
            .Where(e => (lower is null && upper is null) || (e.Start is { } start && (lower is null || start >= lower) && (upper is null || start <= upper)))
            .ToList();
        var items = events.Skip((pageNumber - 1) * size).Take(size).Select(EventDto.From).ToList();
        return TypedResults.Ok(new PageDto<EventDto>(items, pageNumber, size, events.Count));
    }

    private static async Task<Results<Ok<PatientRecordDto>, ProblemHttpResult>> RecordAsync(
        PatientRecordLoader records, string patientId, CancellationToken cancellationToken) =>
        await records.LoadAsync(patientId, cancellationToken) is { } record ? TypedResults.Ok(PatientRecordDto.From(record)) : PatientNotFound(patientId);

    private static ProblemHttpResult PatientNotFound(string patientId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Patient not found", detail: $"No patient has the id '{patientId}'.");
}
