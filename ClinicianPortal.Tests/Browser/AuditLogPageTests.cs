using ClinicianPortal.Audit;
using ClinicianPortal.Data;
using ClinicianPortal.Identity;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ClinicianPortal.Tests.Browser;

/// <summary>The administrator's audit log page in chromium.</summary>
[Collection(PortalAppCollection.Name)]
public sealed class AuditLogPageTests(PortalAppFixture app)
{
    [BrowserFact]
    public async Task An_administrator_sees_the_recorded_outputs_and_verifies_the_chain()
    {
        await using (var dialect = new SqliteDialect($"Data Source={app.AppDatabasePath}"))
        {
            var store = new AuditStore(dialect, new PatientStore(dialect), TimeProvider.System);
            for (var i = 0; i < 3; i++)
                await store.AppendAsync(AuditEntry.For(Roles.Physician, "audit-page-patient-" + i, AuditKind.Differential,
                    new ModelStamp("differential", "1.0", new string('a', 64)), new { i }, new { top = "pneumonia" }));
        }

        var page = await app.NewPageAsync(role: Roles.Admin);
        await PortalAppFixture.GotoInteractiveAsync(page, "admin/audit");
        await Assertions.Expect(page.GetByText("audit-page-patient-2")).ToBeVisibleAsync();

        await page.GetByTestId("verify-chain").ClickAsync();
        await Assertions.Expect(page.GetByTestId("verify-result")).ToContainTextAsync("Audit chain intact");
        await PortalAppFixture.ScreenshotAsync(page, "audit-log");
    }
}
