using Npgsql;
using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.Grains.Tests.Hosting;

public sealed class PostgreSqlPoolTests
{
    [Fact]
    public void TheSiloPreparesRepeatedStatementsAndSkipsTheResetWhenTheConnectionStringDoesNotSay()
    {
        var effective = new NpgsqlConnectionStringBuilder(PostgreSqlPool.WithSiloDefaults("Host=db;Database=app;Password=secret"));

        Assert.Equal(PostgreSqlPool.DefaultMaxAutoPrepare, effective.MaxAutoPrepare);
        Assert.True(effective.NoResetOnClose);
        Assert.Equal("db", effective.Host);
        Assert.Equal("secret", effective.Password);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=db;maxautoprepare=0;NORESETONCLOSE=false")]
    public void WhatTheOperatorSetWins(string connectionString)
    {
        var effective = new NpgsqlConnectionStringBuilder(PostgreSqlPool.WithSiloDefaults(connectionString));

        Assert.Equal(0, effective.MaxAutoPrepare);
        Assert.False(effective.NoResetOnClose);
    }
}
