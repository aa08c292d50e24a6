package io.apiops.user;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.persister.collection.CollectionPersister;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A user's roles are read on every good login. Hibernate reuses the collection's prepared loader only while the
 * collection's batch size is the session's; any other size makes it build a new loader, SQL and all, for every load.
 */
@QuarkusTest
class RolesLoaderTest {

    @Inject
    EntityManager entityManager;

    @Test
    @Transactional
    void shouldLoadRolesWithTheSessionsOwnLoader() {
        SessionImplementor session = entityManager.unwrap(SessionImplementor.class);
        CollectionPersister roles = session.getFactory().getMappingMetamodel()
                .getCollectionDescriptor(User.class.getName() + ".roles");
        assertThat(roles.getBatchSize()).isEqualTo(session.getLoadQueryInfluencers().getBatchSize());
        assertThat(roles.getAttributeMapping().isAffectedByInfluencers(session.getLoadQueryInfluencers(), true))
                .isFalse();
    }
}
