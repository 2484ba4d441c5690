"""directory: Open Referral UK tables (with feed provenance) and the derived search index

Revision ID: 0002_directory
Revises: 0001_casework
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = '0002_directory'
down_revision = '0001_casework'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('directory_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=1000), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('first_imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_feed')),
    sa.UniqueConstraint('source', name=op.f('uq_directory_feed_source'))
    )
    op.create_table('directory_taxonomy',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('uri', sa.String(length=1000), nullable=True),
    sa.Column('version', sa.String(length=50), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_taxonomy'))
    )
    op.create_table('directory_location',
    sa.Column('original_id', sa.String(length=200), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('location_type', sa.String(length=16), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('geocoded_from', sa.String(length=16), nullable=True),
    sa.Column('external_identifier', sa.String(length=200), nullable=True),
    sa.Column('external_identifier_type', sa.String(length=50), nullable=True),
    sa.Column('feed_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['feed_id'], ['directory_feed.id'], name=op.f('fk_directory_location_feed_id_directory_feed')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_location')),
    sa.UniqueConstraint('feed_id', 'original_id', name='uq_directory_location_feed_original')
    )
    with op.batch_alter_table('directory_location', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_location_feed_id'), ['feed_id'], unique=False)

    op.create_table('directory_organization',
    sa.Column('original_id', sa.String(length=200), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('website', sa.String(length=1000), nullable=True),
    sa.Column('uri', sa.String(length=1000), nullable=True),
    sa.Column('logo', sa.String(length=1000), nullable=True),
    sa.Column('feed_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['feed_id'], ['directory_feed.id'], name=op.f('fk_directory_organization_feed_id_directory_feed')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_organization')),
    sa.UniqueConstraint('feed_id', 'original_id', name='uq_directory_organization_feed_original')
    )
    with op.batch_alter_table('directory_organization', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_organization_feed_id'), ['feed_id'], unique=False)

    op.create_table('directory_taxonomy_term',
    sa.Column('original_id', sa.String(length=200), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=200), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('parent_id', sa.String(length=36), nullable=True),
    sa.Column('taxonomy', sa.Text(), nullable=True),
    sa.Column('taxonomy_id', sa.String(length=36), nullable=True),
    sa.Column('term_uri', sa.String(length=1000), nullable=True),
    sa.Column('feed_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['feed_id'], ['directory_feed.id'], name=op.f('fk_directory_taxonomy_term_feed_id_directory_feed')),
    sa.ForeignKeyConstraint(['taxonomy_id'], ['directory_taxonomy.id'], name=op.f('fk_directory_taxonomy_term_taxonomy_id_directory_taxonomy')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_taxonomy_term'))
    )
    with op.batch_alter_table('directory_taxonomy_term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_taxonomy_term_feed_id'), ['feed_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_taxonomy_term_taxonomy_id'), ['taxonomy_id'], unique=False)

    op.create_table('directory_accessibility',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('location_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('details', sa.Text(), nullable=True),
    sa.Column('url', sa.String(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['directory_location.id'],
        name=op.f('fk_directory_accessibility_location_id_directory_location'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_accessibility'))
    )
    with op.batch_alter_table('directory_accessibility', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_accessibility_location_id'), ['location_id'], unique=False)

    op.create_table('directory_address',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('location_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('attention', sa.Text(), nullable=True),
    sa.Column('address_1', sa.Text(), nullable=False),
    sa.Column('city', sa.Text(), nullable=False),
    sa.Column('region', sa.Text(), nullable=True),
    sa.Column('state_province', sa.Text(), nullable=False),
    sa.Column('postal_code', sa.String(length=10), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('address_type', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['directory_location.id'], name=op.f('fk_directory_address_location_id_directory_location'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_address'))
    )
    with op.batch_alter_table('directory_address', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_address_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_address_postal_code'), ['postal_code'], unique=False)

    op.create_table('directory_service',
    sa.Column('original_id', sa.String(length=200), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organization_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('fees', sa.Text(), nullable=True),
    sa.Column('eligibility_description', sa.Text(), nullable=True),
    sa.Column('minimum_age', sa.Float(), nullable=True),
    sa.Column('maximum_age', sa.Float(), nullable=True),
    sa.Column('attending_access', sa.String(length=16), nullable=True),
    sa.Column('attending_type', sa.String(length=16), nullable=True),
    sa.Column('assured_date', sa.String(length=10), nullable=True),
    sa.Column('alert', sa.Text(), nullable=True),
    sa.Column('last_modified', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('feed_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['feed_id'], ['directory_feed.id'], name=op.f('fk_directory_service_feed_id_directory_feed')),
    sa.ForeignKeyConstraint(['organization_id'], ['directory_organization.id'], name=op.f('fk_directory_service_organization_id_directory_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_service')),
    sa.UniqueConstraint('feed_id', 'original_id', name='uq_directory_service_feed_original')
    )
    with op.batch_alter_table('directory_service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_service_feed_id'), ['feed_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_service_organization_id'), ['organization_id'], unique=False)

    op.create_table('directory_attribute',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('taxonomy_term_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('label', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['directory_service.id'], name=op.f('fk_directory_attribute_service_id_directory_service'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['taxonomy_term_id'], ['directory_taxonomy_term.id'], name=op.f('fk_directory_attribute_taxonomy_term_id_directory_taxonomy_term')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_attribute'))
    )
    with op.batch_alter_table('directory_attribute', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_attribute_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_attribute_taxonomy_term_id'), ['taxonomy_term_id'], unique=False)

    op.create_table('directory_contact',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['directory_service.id'], name=op.f('fk_directory_contact_service_id_directory_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_contact'))
    )
    with op.batch_alter_table('directory_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_contact_service_id'), ['service_id'], unique=False)

    op.create_table('directory_cost_option',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('option', sa.Text(), nullable=True),
    sa.Column('amount', sa.Float(), nullable=True),
    sa.Column('amount_description', sa.Text(), nullable=True),
    sa.Column('valid_from', sa.String(length=10), nullable=True),
    sa.Column('valid_to', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['directory_service.id'], name=op.f('fk_directory_cost_option_service_id_directory_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_cost_option'))
    )
    with op.batch_alter_table('directory_cost_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_cost_option_service_id'), ['service_id'], unique=False)

    op.create_table('directory_search_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('service_at_location_id', sa.String(length=36), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('is_free', sa.Boolean(), nullable=False),
    sa.Column('is_drop_in', sa.Boolean(), nullable=False),
    sa.Column('wheelchair', sa.Boolean(), nullable=False),
    sa.Column('hearing_loop', sa.Boolean(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('organization', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('when_text', sa.Text(), nullable=False),
    sa.Column('where_text', sa.Text(), nullable=False),
    sa.Column('cost_text', sa.Text(), nullable=False),
    sa.Column('contact', sa.Text(), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('schedules_json', sa.Text(), nullable=False),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['directory_service.id'], name=op.f('fk_directory_search_entry_service_id_directory_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_search_entry'))
    )
    with op.batch_alter_table('directory_search_entry', schema=None) as batch_op:
        batch_op.create_index('ix_directory_search_entry_lat_lon', ['latitude', 'longitude'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_search_entry_service_id'), ['service_id'], unique=False)

    op.create_table('directory_service_area',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('extent', sa.Text(), nullable=True),
    sa.Column('extent_type', sa.String(length=20), nullable=True),
    sa.Column('uri', sa.String(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['directory_service.id'], name=op.f('fk_directory_service_area_service_id_directory_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_service_area'))
    )
    with op.batch_alter_table('directory_service_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_service_area_service_id'), ['service_id'], unique=False)

    op.create_table('directory_service_at_location',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('location_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['directory_location.id'], name=op.f('fk_directory_service_at_location_location_id_directory_location')),
    sa.ForeignKeyConstraint(['service_id'], ['directory_service.id'],
        name=op.f('fk_directory_service_at_location_service_id_directory_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_service_at_location'))
    )
    with op.batch_alter_table('directory_service_at_location', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_service_at_location_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_service_at_location_service_id'), ['service_id'], unique=False)

    op.create_table('directory_phone',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('contact_id', sa.String(length=36), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['directory_contact.id'], name=op.f('fk_directory_phone_contact_id_directory_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['directory_service.id'], name=op.f('fk_directory_phone_service_id_directory_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_phone'))
    )
    with op.batch_alter_table('directory_phone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_phone_service_id'), ['service_id'], unique=False)

    op.create_table('directory_schedule',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('service_at_location_id', sa.String(length=36), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('freq', sa.String(length=8), nullable=True),
    sa.Column('interval', sa.Integer(), nullable=True),
    sa.Column('byday', sa.String(length=100), nullable=True),
    sa.Column('bymonthday', sa.String(length=100), nullable=True),
    sa.Column('dtstart', sa.String(length=10), nullable=True),
    sa.Column('valid_from', sa.String(length=10), nullable=True),
    sa.Column('valid_to', sa.String(length=10), nullable=True),
    sa.Column('opens_at', sa.String(length=8), nullable=True),
    sa.Column('closes_at', sa.String(length=8), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('attending_type', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['service_at_location_id'], ['directory_service_at_location.id'],
        name='fk_directory_schedule_service_at_location', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['directory_service.id'], name=op.f('fk_directory_schedule_service_id_directory_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_schedule'))
    )
    with op.batch_alter_table('directory_schedule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_schedule_service_at_location_id'), ['service_at_location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_schedule_service_id'), ['service_id'], unique=False)

    op.create_table('directory_search_term',
    sa.Column('term', sa.String(length=40), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('band', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['directory_search_entry.id'],
        name=op.f('fk_directory_search_term_entry_id_directory_search_entry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('term', 'entry_id', name=op.f('pk_directory_search_term'))
    )
    with op.batch_alter_table('directory_search_term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_search_term_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index('ix_directory_search_term_term_band', ['term', 'band', 'longitude', 'latitude', 'entry_id', 'weight'],
                              unique=False)



def downgrade() -> None:
    with op.batch_alter_table('directory_search_term', schema=None) as batch_op:
        batch_op.drop_index('ix_directory_search_term_term_band')
        batch_op.drop_index(batch_op.f('ix_directory_search_term_entry_id'))

    op.drop_table('directory_search_term')
    with op.batch_alter_table('directory_schedule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_schedule_service_id'))
        batch_op.drop_index(batch_op.f('ix_directory_schedule_service_at_location_id'))

    op.drop_table('directory_schedule')
    with op.batch_alter_table('directory_phone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_phone_service_id'))

    op.drop_table('directory_phone')
    with op.batch_alter_table('directory_service_at_location', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_service_at_location_service_id'))
        batch_op.drop_index(batch_op.f('ix_directory_service_at_location_location_id'))

    op.drop_table('directory_service_at_location')
    with op.batch_alter_table('directory_service_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_service_area_service_id'))

    op.drop_table('directory_service_area')
    with op.batch_alter_table('directory_search_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_search_entry_service_id'))
        batch_op.drop_index('ix_directory_search_entry_lat_lon')

    op.drop_table('directory_search_entry')
    with op.batch_alter_table('directory_cost_option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_cost_option_service_id'))

    op.drop_table('directory_cost_option')
    with op.batch_alter_table('directory_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_contact_service_id'))

    op.drop_table('directory_contact')
    with op.batch_alter_table('directory_attribute', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_attribute_taxonomy_term_id'))
        batch_op.drop_index(batch_op.f('ix_directory_attribute_service_id'))

    op.drop_table('directory_attribute')
    with op.batch_alter_table('directory_service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_service_organization_id'))
        batch_op.drop_index(batch_op.f('ix_directory_service_feed_id'))

    op.drop_table('directory_service')
    with op.batch_alter_table('directory_address', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_address_postal_code'))
        batch_op.drop_index(batch_op.f('ix_directory_address_location_id'))

    op.drop_table('directory_address')
    with op.batch_alter_table('directory_accessibility', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_accessibility_location_id'))

    op.drop_table('directory_accessibility')
    with op.batch_alter_table('directory_taxonomy_term', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_taxonomy_term_taxonomy_id'))
        batch_op.drop_index(batch_op.f('ix_directory_taxonomy_term_feed_id'))

    op.drop_table('directory_taxonomy_term')
    with op.batch_alter_table('directory_organization', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_organization_feed_id'))

    op.drop_table('directory_organization')
    with op.batch_alter_table('directory_location', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_location_feed_id'))

    op.drop_table('directory_location')
    op.drop_table('directory_taxonomy')
    op.drop_table('directory_feed')
