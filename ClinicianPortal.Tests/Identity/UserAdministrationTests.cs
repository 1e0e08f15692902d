using ClinicianPortal.Identity;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Tests.Identity;

/// <summary>The administrator's operations on users and their rules, on a real database of each dialect.</summary>
public sealed class UserAdministrationTests
{
    private const string Password = "a long enough passphrase";

    private sealed record Arranged(UserAdministration Admin, UserStore Users, SignInService SignIn, ManualClock Clock);

    private static Arranged Arrange(TestDatabase db)
    {
        var users = new UserStore(db.Dialect, db.Store);
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero));
        var options = new PortalIdentityOptions { MaxFailedAttempts = 3, LockoutDuration = TimeSpan.FromMinutes(15) };
        return new Arranged(new UserAdministration(users, clock, NullLogger<UserAdministration>.Instance), users,
            new SignInService(users, options, clock, NullLogger<SignInService>.Instance), clock);
    }

    private static async Task<PortalUser> CreateAsync(Arranged a, string name, string role)
    {
        var change = await a.Admin.CreateAsync(name, role, Password);
        Assert.True(change.Succeeded, change.Message);
        return (await a.Users.FindByNameAsync(name))!;
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_created_user_signs_in_with_the_initial_password_and_gets_the_chosen_role(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var a = Arrange(db);

        var user = await CreateAsync(a, "nurse.kim", Roles.CareTeam);
        Assert.DoesNotContain(Password, user.PasswordHash, StringComparison.Ordinal);
        var signIn = await a.SignIn.PasswordSignInAsync("nurse.kim", Password);
        Assert.Equal(SignInOutcome.Succeeded, signIn.Outcome);
        Assert.Equal(Roles.CareTeam, signIn.User!.Role);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Creation_refuses_a_weak_password_a_taken_name_and_an_unknown_role_and_stores_nothing(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var a = Arrange(db);
        await CreateAsync(a, "dr.lee", Roles.Physician);

        var shortPassword = await a.Admin.CreateAsync("dr.new", Roles.Physician, "short1");
        var containsName = await a.Admin.CreateAsync("dr.new", Roles.Physician, "my name is dr.new ok");
        var taken = await a.Admin.CreateAsync("DR.LEE", Roles.Admin, Password);
        var noRole = await a.Admin.CreateAsync("dr.new", "superuser", Password);
        var spaces = await a.Admin.CreateAsync("dr new", Roles.Physician, Password);

        Assert.False(shortPassword.Succeeded);
        Assert.Contains("12 characters", shortPassword.Message, StringComparison.Ordinal);
        Assert.False(containsName.Succeeded);
        Assert.Contains("user name", containsName.Message, StringComparison.Ordinal);
        Assert.False(taken.Succeeded);
        Assert.Contains("taken", taken.Message, StringComparison.Ordinal);
        Assert.False(noRole.Succeeded);
        Assert.False(spaces.Succeeded);
        Assert.Equal(["dr.lee"], (await a.Admin.ListAsync()).Select(u => u.UserName));
        Assert.Equal(Roles.Physician, (await a.Users.FindByNameAsync("dr.lee"))!.Role);
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_last_active_administrator_can_be_neither_demoted_nor_disabled(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var a = Arrange(db);
        var root = await CreateAsync(a, "root", Roles.Admin);
        var other = await CreateAsync(a, "helper", Roles.Physician);

        var demote = await a.Admin.ChangeRoleAsync(root.Id, Roles.Physician);
        Assert.False(demote.Succeeded);
        Assert.Contains("last active administrator", demote.Message, StringComparison.Ordinal);
        var disable = await a.Admin.DisableAsync(other.Id, root.Id);
        Assert.False(disable.Succeeded);
        Assert.Equal(Roles.Admin, (await a.Users.FindByIdAsync(root.Id))!.Role);
        Assert.False((await a.Users.FindByIdAsync(root.Id))!.IsDisabled);

        // With a second administrator the first may step down; a disabled administrator does not count.
        Assert.True((await a.Admin.ChangeRoleAsync(other.Id, Roles.Admin)).Succeeded);
        Assert.True((await a.Admin.DisableAsync(root.Id, other.Id)).Succeeded);
        Assert.False((await a.Admin.ChangeRoleAsync(root.Id, Roles.Physician)).Succeeded);
        Assert.True((await a.Admin.UnlockAsync(other.Id)).Succeeded);
        Assert.True((await a.Admin.ChangeRoleAsync(root.Id, Roles.Physician)).Succeeded);
        Assert.Equal(Roles.Physician, (await a.Users.FindByIdAsync(root.Id))!.Role);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Two_administrators_demoting_each_other_at_the_same_moment_leave_one_administrator(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var a = Arrange(db);
        var first = await CreateAsync(a, "first", Roles.Admin);
        var second = await CreateAsync(a, "second", Roles.Admin);

        for (var round = 0; round < 20; round++)
        {
            var results = await Task.WhenAll(
                Task.Run(() => a.Admin.ChangeRoleAsync(first.Id, Roles.Physician)),
                round % 2 == 0 ? Task.Run(() => a.Admin.ChangeRoleAsync(second.Id, Roles.Physician)) : Task.Run(() => a.Admin.DisableAsync(first.Id, second.Id)));

            var admins = (await a.Users.ListAsync()).Count(u => u.Role == Roles.Admin && !u.IsDisabled);
            Assert.True(admins == 1, $"round {round}: {admins} active administrators after {string.Join(" / ", results.Select(r => r.Message))}");
            Assert.Single(results, r => r.Succeeded);
            await a.Users.SetRoleAsync(first.Id, Roles.Admin);
            await a.Users.SetRoleAsync(second.Id, Roles.Admin);
            await a.Users.ResetFailuresAsync(second.Id);
        }
    }

    [Theory, SqliteData, PostgresData]
    public async Task An_administrator_cannot_disable_their_own_account(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var a = Arrange(db);
        var root = await CreateAsync(a, "root", Roles.Admin);
        await CreateAsync(a, "root2", Roles.Admin);

        var change = await a.Admin.DisableAsync(root.Id, root.Id);
        Assert.False(change.Succeeded);
        Assert.False((await a.Users.FindByIdAsync(root.Id))!.IsDisabled);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_disabled_user_is_refused_with_the_right_password_until_enabled_again(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var a = Arrange(db);
        var root = await CreateAsync(a, "root", Roles.Admin);
        var nurse = await CreateAsync(a, "nurse.kim", Roles.CareTeam);

        Assert.True((await a.Admin.DisableAsync(root.Id, nurse.Id)).Succeeded);
        var refused = await a.SignIn.PasswordSignInAsync("nurse.kim", Password);
        Assert.Equal(SignInOutcome.Disabled, refused.Outcome);
        Assert.Contains("disabled", refused.Message, StringComparison.Ordinal);
        a.Clock.Advance(TimeSpan.FromDays(3650)); // not a lockout that runs out
        Assert.Equal(SignInOutcome.Disabled, (await a.SignIn.PasswordSignInAsync("nurse.kim", Password)).Outcome);

        Assert.True((await a.Admin.UnlockAsync(nurse.Id)).Succeeded);
        Assert.Equal(SignInOutcome.Succeeded, (await a.SignIn.PasswordSignInAsync("nurse.kim", Password)).Outcome);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Unlock_ends_a_lockout_after_failed_sign_ins_at_once(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var a = Arrange(db);
        var nurse = await CreateAsync(a, "nurse.kim", Roles.CareTeam);
        for (var i = 0; i < 3; i++) await a.SignIn.PasswordSignInAsync("nurse.kim", "wrong guess " + i);

        var locked = (await a.Users.FindByIdAsync(nurse.Id))!;
        Assert.True(a.Admin.IsLockedOut(locked));
        Assert.False(locked.IsDisabled);
        Assert.Equal(SignInOutcome.LockedOut, (await a.SignIn.PasswordSignInAsync("nurse.kim", Password)).Outcome);

        Assert.True((await a.Admin.UnlockAsync(nurse.Id)).Succeeded);
        Assert.False(a.Admin.IsLockedOut((await a.Users.FindByIdAsync(nurse.Id))!));
        Assert.Equal(SignInOutcome.Succeeded, (await a.SignIn.PasswordSignInAsync("nurse.kim", Password)).Outcome);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_reset_password_replaces_the_old_one_and_must_meet_the_policy(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var a = Arrange(db);
        var nurse = await CreateAsync(a, "nurse.kim", Roles.CareTeam);

        var weak = await a.Admin.ResetPasswordAsync(nurse.Id, "aaaaaaaaaaaaaaaa");
        Assert.False(weak.Succeeded);
        Assert.Equal(SignInOutcome.Succeeded, (await a.SignIn.PasswordSignInAsync("nurse.kim", Password)).Outcome);

        Assert.True((await a.Admin.ResetPasswordAsync(nurse.Id, "another fine passphrase")).Succeeded);
        Assert.Equal(SignInOutcome.InvalidCredentials, (await a.SignIn.PasswordSignInAsync("nurse.kim", Password)).Outcome);
        Assert.Equal(SignInOutcome.Succeeded, (await a.SignIn.PasswordSignInAsync("nurse.kim", "another fine passphrase")).Outcome);
    }

    [Theory]
    [InlineData("ada", "correct horse battery", null)]
    [InlineData("ada", "eleven char", "at least 12")]
    [InlineData("ada", "abababababababab", "different characters")]
    [InlineData("ada", "xx-ADA-password-xx", "user name")]
    public void The_password_policy_explains_what_is_wrong(string userName, string password, string? problem)
    {
        var found = PasswordPolicy.Problem(userName, password);
        if (problem is null) Assert.Null(found);
        else Assert.Contains(problem, found, StringComparison.Ordinal);
    }
}
