package io.apiops.user;

import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Makes the database's role table, which every held role must reference, say what the configured catalogue says: at
 * start-up the catalogue's roles are added and roles no longer in it are removed, unless someone still holds them.
 * Such a role is kept, so that no user loses it silently, and ignored: tokens carry only catalogue roles.
 */
@Singleton
public class RoleCatalogueSync {

    private final EntityManager entityManager;
    private final Roles roles;

    public RoleCatalogueSync(EntityManager entityManager, Roles roles) {
        this.entityManager = entityManager;
        this.roles = roles;
    }

    void onStart(@Observes StartupEvent event) {
        List<String> retired = QuarkusTransaction.requiringNew().call(this::sync);
        if (!retired.isEmpty()) {
            Log.warnf("Roles %s are no longer in apiops.roles but users still hold them; they are ignored until "
                    + "they are taken from those users or put back in the catalogue", retired);
        }
    }

    /** Writes the catalogue; returns the roles outside it that users still hold. */
    @SuppressWarnings("unchecked")
    private List<String> sync() {
        // Replicas starting together take turns.
        entityManager.createNativeQuery("select pg_advisory_xact_lock(hashtext('apiops.role-catalogue'))")
                .getSingleResult();
        String[] catalogue = roles.all().toArray(String[]::new);
        entityManager.createNativeQuery("insert into role (name) select unnest(cast(?1 as text[])) "
                + "on conflict (name) do nothing")
                .setParameter(1, catalogue)
                .executeUpdate();
        entityManager.createNativeQuery("""
                delete from role r where not (r.name = any(cast(?1 as text[])))
                    and not exists (select 1 from user_role u where u.role = r.name)""")
                .setParameter(1, catalogue)
                .executeUpdate();
        return entityManager.createNativeQuery("select name from role where not (name = any(cast(?1 as text[]))) "
                + "order by name")
                .setParameter(1, catalogue)
                .getResultList();
    }
}
