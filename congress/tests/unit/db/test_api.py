"""The engine settings congress.db.api derives from the configuration."""

import testtools

from congress.db import api as db_api


class ConnectionUrlTestCase(testtools.TestCase):

    def test_mysql_connections_are_utf8mb4_whatever_the_url_says(self):
        for url in ('mysql+pymysql://u:p@db/congress?charset=utf8',
                    'mysql+pymysql://u:p@db/congress',
                    'mysql+pymysql://u:p@db/congress?charset=latin1'
                    '&plugin=dbcounter'):
            fixed = db_api.connection_url(url)
            self.assertIn('charset=utf8mb4', fixed)
            self.assertIn('u:p@db/congress', fixed)
        self.assertIn('plugin=dbcounter', fixed)

    def test_other_databases_are_left_alone(self):
        for url in ('sqlite:///congress.sqlite',
                    'postgresql+psycopg2://u:p@db/congress'):
            self.assertEqual(url, db_api.connection_url(url))
