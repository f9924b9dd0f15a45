using Microsoft.Extensions.Options;
using OrleansReminders.Grains.Dispatching;
using OrleansReminders.Grains.Messaging;
using OrleansReminders.Grains.Time;
using OrleansReminders.Sms.Http;
using OrleansReminders.Sms.Simulated;

namespace OrleansReminders.Silo.Hosting;

/// <summary>
/// Borrowers send through the dispatcher pool (<c>Dispatch</c> section) to the configured provider
/// accounts. The simulated provider (<c>Sms:Simulated</c>) is always registered and is the default
/// account; its receipts, replies and payments run on the business clock, so a time-scaled demo sees
/// borrowers answer within the scaled day.
/// </summary>
internal static class MessagingHosting
{
    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DispatchOptions>(DispatchOptions.SectionName);
        builder.Services.AddDispatcherPool();

        builder.Services.AddValidatedOptions<SimulatedProviderOptions>(SimulatedProviderOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<SimulatedProviderOptions>, SimulatedProviderOptionsValidator>();
        builder.Services.AddSingleton(sp => new SimulatedSmsSender(
            sp.GetRequiredService<IOptions<SimulatedProviderOptions>>(),
            sp.GetRequiredService<IInboundRouter>(),
            sp.GetRequiredService<ILogger<SimulatedSmsSender>>(),
            sp.GetKeyedService<TimeProvider>(BusinessClock.Key) ?? sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<SimulatedSmsSender>());

        // Real providers: options always bound (the webhooks need their secrets); a sender only when the
        // account's credentials are configured (and then they are checked).
        builder.Services.AddValidatedOptions<TwilioStyleOptions>(TwilioStyleOptions.SectionName)
            .WithAnnotations(TwilioStyleOptions.SectionName, when: o => !string.IsNullOrWhiteSpace(o.AccountSid));
        builder.Services.AddValidatedOptions<AliyunStyleOptions>(AliyunStyleOptions.SectionName)
            .WithAnnotations(AliyunStyleOptions.SectionName, when: o => !string.IsNullOrWhiteSpace(o.AccessKeyId));
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{TwilioStyleOptions.SectionName}:AccountSid"]))
        {
            builder.Services.AddHttpClient<TwilioStyleSmsSender>();
            builder.Services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<TwilioStyleSmsSender>());
        }

        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{AliyunStyleOptions.SectionName}:AccessKeyId"]))
        {
            builder.Services.AddHttpClient<AliyunStyleSmsSender>();
            builder.Services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<AliyunStyleSmsSender>());
        }

        return builder;
    }
}
