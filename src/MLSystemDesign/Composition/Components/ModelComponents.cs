using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MLSystemDesign.Composition.Components;

/// <summary>Registers per-model components: one keyed singleton per name and kind, set up by <see cref="ModelComponentHost"/>.</summary>
internal static class ModelComponents
{
    /// <summary>
    /// Registers a component keyed by <paramref name="name"/> under <typeparamref name="TComponent"/> (the kind's
    /// non-generic base, so two record types cannot share a name), and the host that sets it up.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or blank.</exception>
    /// <exception cref="InvalidOperationException">A component of this kind already has the name.</exception>
    public static void Add<TComponent>(IServiceCollection services, string kind, string name, Func<IServiceProvider, TComponent> create)
        where TComponent : ModelComponent
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (services.Any(d => d.IsKeyedService && d.ServiceType == typeof(TComponent) && name.Equals(d.ServiceKey)))
        {
            throw new InvalidOperationException($"A {kind} named '{name}' is already registered. Each {kind} has its own name: register the second under another (e.g. '{name}-canary').");
        }

        services.AddKeyedSingleton<TComponent>(name, (sp, _) => create(sp));
        services.AddSingleton<ModelComponent>(sp => sp.GetRequiredKeyedService<TComponent>(name));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ModelComponentHost>());
    }
}
