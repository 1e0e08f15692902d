using ClinicianPortal.Identity;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Tests.Identity;

/// <summary>Password checks, lockout and its reset, on a real database of each dialect.</summary>
public sealed class SignInServiceTests
{
    private const string Password = "correct horse battery";
    private static readonly PortalIdentityOptions Options = new() { MaxFailedAttempts = 5, LockoutDuration = TimeSpan.FromMinutes(15) };

    private static async Task<(SignInService SignIn, UserStore Users, ManualClock Clock)> ArrangeAsync(TestDatabase db)
    {
        var users = new UserStore(db.Dialect, db.Store);
        Assert.True(await users.CreateAsync("Dr.Ada", Roles.Physician, SignInService.HashPassword(Password)));
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero));
        return (new SignInService(users, Options, clock, NullLogger<SignInService>.Instance), users, clock);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Passwords_are_stored_as_identity_hashes_and_the_right_one_signs_in(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var (signIn, _, _) = await ArrangeAsync(db);

        await using (var connection = db.Dialect.CreateConnection())
        {
            var stored = await connection.QuerySingleAsync<string>("SELECT password_hash FROM users");
            Assert.DoesNotContain(Password, stored, StringComparison.Ordinal);
            Assert.Equal(0x01, Convert.FromBase64String(stored)[0]); // ASP.NET Core Identity v3 format (PBKDF2)
        }

        var result = await signIn.PasswordSignInAsync("dr.ada", Password); // user names ignore case
        Assert.Equal(SignInOutcome.Succeeded, result.Outcome);
        Assert.Equal(Roles.Physician, result.User!.Role);
        Assert.Equal("Dr.Ada", SignInService.PrincipalFor(result.User).Identity!.Name);
    }

    [Theory, SqliteData, PostgresData]
    public async Task An_unknown_user_and_a_wrong_password_get_the_same_answer(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var (signIn, _, _) = await ArrangeAsync(db);

        var unknown = await signIn.PasswordSignInAsync("nobody", Password);
        var wrong = await signIn.PasswordSignInAsync("Dr.Ada", "wrong");
        Assert.Equal(SignInOutcome.InvalidCredentials, unknown.Outcome);
        Assert.Equal(unknown, wrong);
        Assert.Null(wrong.User);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Five_failures_lock_the_account_even_against_the_right_password_until_the_lockout_ends(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var (signIn, _, clock) = await ArrangeAsync(db);

        for (var i = 1; i <= 4; i++) Assert.Equal(SignInOutcome.InvalidCredentials, (await signIn.PasswordSignInAsync("Dr.Ada", "wrong" + i)).Outcome);
        var fifth = await signIn.PasswordSignInAsync("Dr.Ada", "wrong5");
        Assert.Equal(SignInOutcome.LockedOut, fifth.Outcome);
        Assert.Equal(clock.Now + TimeSpan.FromMinutes(15), fifth.LockedUntil);
        Assert.Contains("locked", fifth.Message, StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(SignInOutcome.LockedOut, (await signIn.PasswordSignInAsync("Dr.Ada", Password)).Outcome);

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(SignInOutcome.Succeeded, (await signIn.PasswordSignInAsync("Dr.Ada", Password)).Outcome);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_successful_sign_in_resets_the_failure_count(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var (signIn, users, _) = await ArrangeAsync(db);

        for (var i = 0; i < 4; i++) await signIn.PasswordSignInAsync("Dr.Ada", "wrong");
        Assert.Equal(4, (await users.FindByNameAsync("Dr.Ada"))!.FailedAttempts);
        Assert.Equal(SignInOutcome.Succeeded, (await signIn.PasswordSignInAsync("Dr.Ada", Password)).Outcome);
        Assert.Equal(0, (await users.FindByNameAsync("Dr.Ada"))!.FailedAttempts);

        for (var i = 0; i < 4; i++) Assert.Equal(SignInOutcome.InvalidCredentials, (await signIn.PasswordSignInAsync("Dr.Ada", "wrong")).Outcome);
        Assert.Equal(SignInOutcome.Succeeded, (await signIn.PasswordSignInAsync("Dr.Ada", Password)).Outcome);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_second_user_with_the_same_name_in_another_case_is_refused(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var (_, users, _) = await ArrangeAsync(db);
        Assert.False(await users.CreateAsync("DR.ADA", Roles.Admin, SignInService.HashPassword("other password")));
        Assert.Equal(Roles.Physician, (await users.FindByNameAsync("dr.ada"))!.Role);
    }
}
