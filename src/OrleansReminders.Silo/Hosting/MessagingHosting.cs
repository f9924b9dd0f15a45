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
        if (builder.Configuration["Privacy:PhoneKeySecret"] is { Length: > 0 } phoneKeySecret)
        {
            builder.Services.AddSingleton(new OrleansReminders.Grains.Borrowers.PhoneKeyer(phoneKeySecret));
        }

        builder.Services.AddDispatcherPool();
        builder.Services.Configure<DispatchOptions>(builder.Configuration.GetSection(DispatchOptions.SectionName));

        builder.Services.AddOptions<SimulatedProviderOptions>()
            .Bind(builder.Configuration.GetSection(SimulatedProviderOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SimulatedProviderOptions>, SimulatedProviderOptionsValidator>();
        builder.Services.AddSingleton(sp => new SimulatedSmsSender(
            sp.GetRequiredService<IOptions<SimulatedProviderOptions>>(),
            sp.GetRequiredService<IInboundRouter>(),
            sp.GetRequiredService<ILogger<SimulatedSmsSender>>(),
            sp.GetKeyedService<TimeProvider>(BusinessClock.Key) ?? sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<SimulatedSmsSender>());

        // Real providers: options always bound (the webhooks need their secrets); a sender only when the
        // account's credentials are configured.
        builder.Services.Configure<TwilioStyleOptions>(builder.Configuration.GetSection(TwilioStyleOptions.SectionName));
        builder.Services.Configure<AliyunStyleOptions>(builder.Configuration.GetSection(AliyunStyleOptions.SectionName));
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{TwilioStyleOptions.SectionName}:AccountSid"]))
        {
            builder.Services.AddOptions<TwilioStyleOptions>().ValidateDataAnnotations().ValidateOnStart();
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
