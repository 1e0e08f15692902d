using ClinicianPortal.Cli;
using ClinicianPortal.Components;
using ClinicianPortal.Inference;
using ClinicianPortal.Data;
using ClinicianPortal.Import;
using Radzen;

if (CommandLine.IsCommand(args)) return await CommandLine.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
// Package assets (_content/...) are served from the build output in every environment, so that
// `dotnet run` works the same in Development and Production (publish output has them in wwwroot).
builder.WebHost.UseStaticWebAssets();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddRadzenComponents();
builder.Services.AddClinicianUi();
builder.Services.AddInference(builder.Configuration);
builder.Services.AddPatientData(builder.Configuration);
builder.Services.AddImport();

var app = builder.Build();
app.UseStaticFiles();
app.UseAntiforgery();
app.MapInferenceApi();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
await app.RunAsync();
return 0;

public partial class Program;
