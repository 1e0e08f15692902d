using ClinicianPortal.Identity;
using ClinicianPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ClinicianPortal.Tests.Browser;

/// <summary>Signing in and out in chromium, and what each role then sees.</summary>
[Collection(PortalAppCollection.Name)]
public sealed class SignInTests(PortalAppFixture app)
{
    [BrowserFact]
    public async Task A_physician_signs_in_sees_the_patient_list_and_their_name_and_role_then_signs_out()
    {
        var page = await app.NewPageAsync(role: null);
        await page.GotoAsync("patients");
        Assert.StartsWith("/login", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);

        await PortalAppFixture.SignInAsync(page, Roles.Physician);
        Assert.Equal("/patients", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("a.patient-link").First).ToBeVisibleAsync();
        var menu = page.GetByTestId("user-menu");
        await Assertions.Expect(menu).ToContainTextAsync("physician");
        await Assertions.Expect(menu).ToContainTextAsync("Physician");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Import" })).ToHaveCountAsync(0);
        await PortalAppFixture.ScreenshotAsync(page, "signed-in-physician");

        await menu.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
        await page.GotoAsync("patients");
        Assert.StartsWith("/login", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task A_validator_lands_on_the_validation_queue_and_is_refused_the_patient_pages()
    {
        var page = await app.NewPageAsync(role: Roles.Validator);
        Assert.Equal("/validation", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByTestId("validation-queue")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Patients" })).ToHaveCountAsync(0);

        await page.GotoAsync("patients");
        await Assertions.Expect(page.GetByTestId("access-denied")).ToContainTextAsync("Validator");
        Assert.Equal(0, await page.Locator("a.patient-link").CountAsync());
        await PortalAppFixture.ScreenshotAsync(page, "validator-refused");
    }

    [BrowserFact]
    public async Task A_wrong_password_is_refused_with_a_clear_message()
    {
        var page = await app.NewPageAsync(role: null);
        await page.GotoAsync("login");
        await page.GetByLabel("User name").FillAsync(Roles.CareTeam);
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("login-error")).ToHaveTextAsync("The user name or password is incorrect.");
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByLabel("User name")).ToHaveValueAsync(Roles.CareTeam);
        await PortalAppFixture.ScreenshotAsync(page, "sign-in-refused");
    }
}
