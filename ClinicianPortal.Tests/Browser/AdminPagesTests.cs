using System.Net;
using System.Net.Http.Headers;
using ClinicianPortal.Identity;
using ClinicianPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ClinicianPortal.Tests.Browser;

/// <summary>The administrator's API-key and user pages in chromium, checked against what the keys and users can then do.</summary>
[Collection(PortalAppCollection.Name)]
public sealed class AdminPagesTests(PortalAppFixture app)
{
    private async Task<HttpStatusCode> CallApiAsync(string token)
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("api/v1/patients", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [BrowserFact]
    public async Task A_key_created_on_the_page_works_against_the_api_until_it_is_revoked_there()
    {
        var page = await app.NewPageAsync(role: Roles.Admin);
        await PortalAppFixture.GotoInteractiveAsync(page, "admin/api-keys");
        await page.GetByTestId("key-name").FillAsync("browser test EHR");
        await page.GetByTestId("scope-case-review").CheckAsync();
        await page.GetByTestId("key-rate").FillAsync("120");
        await page.GetByTestId("create-key").ClickAsync();

        await Assertions.Expect(page.GetByTestId("new-key")).ToContainTextAsync("shown only this once");
        var token = await page.GetByTestId("new-key-token").InputValueAsync();
        Assert.StartsWith("cpk_", token, StringComparison.Ordinal);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.GetByTestId("copy-key").ClickAsync();
        await Assertions.Expect(page.GetByTestId("copy-key")).ToHaveTextAsync("Copied");
        Assert.Equal(token, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        var keyId = token.Split('_')[1];
        var row = page.GetByTestId("key-row-" + keyId);
        await Assertions.Expect(row).ToContainTextAsync("read, case-review");
        await Assertions.Expect(row).ToContainTextAsync("120");
        await PortalAppFixture.ScreenshotAsync(page, "admin-api-key-created");

        Assert.Equal(HttpStatusCode.OK, await CallApiAsync(token));

        // Its call log shows the call; the secret is not shown again anywhere.
        await PortalAppFixture.GotoInteractiveAsync(page, "admin/api-keys/" + keyId);
        await Assertions.Expect(page.GetByTestId("call-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("call-row")).ToContainTextAsync("/api/v1/patients");
        await Assertions.Expect(page.GetByTestId("call-row")).ToContainTextAsync("200");
        await PortalAppFixture.GotoInteractiveAsync(page, "admin/api-keys");
        Assert.DoesNotContain(token.Split('_')[2], await page.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(row.GetByTestId("key-calls")).ToHaveTextAsync("1");

        await row.GetByTestId("revoke-key").ClickAsync();
        Assert.Equal(HttpStatusCode.OK, await CallApiAsync(token)); // asking is not revoking
        await row.GetByTestId("confirm-revoke").ClickAsync();
        await Assertions.Expect(row.GetByTestId("key-status")).ToContainTextAsync("Revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, await CallApiAsync(token));
    }

    [BrowserFact]
    public async Task A_user_created_on_the_page_signs_in_and_is_signed_out_once_disabled_there()
    {
        const string name = "nurse.browser", password = "a browser passphrase";
        var admin = await app.NewPageAsync(role: Roles.Admin);
        await PortalAppFixture.GotoInteractiveAsync(admin, "admin/users");
        await admin.GetByTestId("new-user-name").FillAsync(name);
        await admin.GetByTestId("new-user-role").SelectOptionAsync(Roles.CareTeam);
        await admin.GetByTestId("new-user-password").FillAsync("too short");
        await admin.GetByTestId("create-user").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("user-message")).ToContainTextAsync("at least 12 characters");
        await Assertions.Expect(admin.GetByTestId("user-row-" + name)).ToHaveCountAsync(0);

        await admin.GetByTestId("new-user-password").FillAsync(password);
        await admin.GetByTestId("create-user").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("user-message")).ToContainTextAsync("Created " + name);
        var row = admin.GetByTestId("user-row-" + name);
        await Assertions.Expect(row.GetByTestId("user-state")).ToHaveTextAsync("Active");

        var nurse = await app.NewPageAsync(role: null);
        await PortalAppFixture.SignInAsync(nurse, name, password);
        await PortalAppFixture.GotoInteractiveAsync(nurse, "patients");
        var other = await nurse.Context.NewPageAsync(); // a second tab, for the next full request
        await other.GotoAsync("patients");
        Assert.EndsWith("/patients", new Uri(other.Url).AbsolutePath, StringComparison.Ordinal);

        await row.GetByTestId("disable-user").ClickAsync();
        await row.GetByTestId("confirm-disable").ClickAsync();
        await Assertions.Expect(row.GetByTestId("user-state")).ToHaveTextAsync("Disabled");
        await PortalAppFixture.ScreenshotAsync(admin, "admin-users");

        // The page left open loses its user at the next re-check; the next request goes to sign-in.
        await Assertions.Expect(nurse.GetByTestId("access-denied")).ToContainTextAsync("Sign in required");
        await other.GotoAsync("patients");
        Assert.StartsWith("/login", new Uri(other.Url).AbsolutePath, StringComparison.Ordinal);
    }
}
