"""The records of the hibah cycle: agreements, budget lines, returns of the remainder,
LPJ submissions; the proposal and the outcome on the grant; expenditures tied to their
allocation (filled in by 0004, required by 0005)."""

import django.db.models.deletion
import lkks.models
import lkks.uploads
import lkks.validation
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('grants', '0002_initial'),
        ('programs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Agreement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('kind', models.CharField(choices=[('nphd', 'grant agreement (NPHD)'), ('mou', 'memorandum of understanding (MoU)'), ('cooperation', 'cooperation agreement')], max_length=12, verbose_name='kind')),
                ('number', models.CharField(max_length=100, verbose_name='number')),
                ('signed_on', models.DateField(null=True, verbose_name='signed on')),
                ('purpose', models.TextField(blank=True, verbose_name='purpose')),
                ('bank_name', models.CharField(blank=True, max_length=100, verbose_name='bank')),
                ('bank_account_number', models.CharField(blank=True, max_length=40, verbose_name='account number')),
                ('bank_account_holder', models.CharField(blank=True, max_length=200, verbose_name='account holder')),
                ('grantor_signatory_name', models.CharField(blank=True, max_length=150, verbose_name="grantor's signatory")),
                ('grantor_signatory_title', models.CharField(blank=True, help_text="e.g. Bupati Kampar, or Kepala Dinas Sosial as the Bupati's delegate", max_length=200, verbose_name="grantor's signatory title")),
                ('grantor_signatory_nip', models.CharField(blank=True, help_text='For a civil servant; a Bupati has none.', max_length=21, validators=[lkks.validation.validate_nip], verbose_name="grantor's signatory NIP")),
                ('recipient_signatory_name', models.CharField(blank=True, max_length=150, verbose_name="recipient's signatory")),
                ('recipient_signatory_title', models.CharField(blank=True, max_length=200, verbose_name="recipient's signatory title")),
                ('scan', models.FileField(blank=True, upload_to=lkks.uploads.RandomName('agreements'), validators=[lkks.uploads.validate_scan], verbose_name='signed agreement (scan)')),
            ],
            options={
                'verbose_name': 'agreement',
                'verbose_name_plural': 'agreements',
                'ordering': ['-signed_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='BudgetLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('item', models.CharField(max_length=300, verbose_name='item')),
                ('amount', models.DecimalField(decimal_places=0, max_digits=15, verbose_name='amount')),
            ],
            options={
                'verbose_name': 'budget line',
                'verbose_name_plural': 'budget lines (RAB)',
                'ordering': ['grant_id', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalAgreement',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                ('kind', models.CharField(choices=[('nphd', 'grant agreement (NPHD)'), ('mou', 'memorandum of understanding (MoU)'), ('cooperation', 'cooperation agreement')], max_length=12, verbose_name='kind')),
                ('number', models.CharField(max_length=100, verbose_name='number')),
                ('signed_on', models.DateField(null=True, verbose_name='signed on')),
                ('purpose', models.TextField(blank=True, verbose_name='purpose')),
                ('bank_name', models.CharField(blank=True, max_length=100, verbose_name='bank')),
                ('bank_account_number', models.CharField(blank=True, max_length=40, verbose_name='account number')),
                ('bank_account_holder', models.CharField(blank=True, max_length=200, verbose_name='account holder')),
                ('grantor_signatory_name', models.CharField(blank=True, max_length=150, verbose_name="grantor's signatory")),
                ('grantor_signatory_title', models.CharField(blank=True, help_text="e.g. Bupati Kampar, or Kepala Dinas Sosial as the Bupati's delegate", max_length=200, verbose_name="grantor's signatory title")),
                ('grantor_signatory_nip', models.CharField(blank=True, help_text='For a civil servant; a Bupati has none.', max_length=21, validators=[lkks.validation.validate_nip], verbose_name="grantor's signatory NIP")),
                ('recipient_signatory_name', models.CharField(blank=True, max_length=150, verbose_name="recipient's signatory")),
                ('recipient_signatory_title', models.CharField(blank=True, max_length=200, verbose_name="recipient's signatory title")),
                ('scan', models.TextField(blank=True, max_length=100, validators=[lkks.uploads.validate_scan], verbose_name='signed agreement (scan)')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical agreement',
                'verbose_name_plural': 'historical agreements',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalBudgetLine',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                ('item', models.CharField(max_length=300, verbose_name='item')),
                ('amount', models.DecimalField(decimal_places=0, max_digits=15, verbose_name='amount')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical budget line',
                'verbose_name_plural': 'historical budget lines (RAB)',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalLpjSubmission',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                ('submitted_on', models.DateField(verbose_name='submitted on')),
                ('letter_number', models.CharField(blank=True, help_text="Left empty, the next number of the body's letter register is taken (the register names this submission as the letter's document).", max_length=100, verbose_name='cover letter number')),
                ('received_by', models.CharField(help_text="Who received it at the funder, e.g. the head of the Dinas Sosial's office.", max_length=150, verbose_name='received by')),
                ('outcome', models.CharField(choices=[('pending', 'awaiting review'), ('returned', 'returned for revision'), ('accepted', 'accepted')], default='pending', max_length=10, verbose_name='review')),
                ('decided_on', models.DateField(blank=True, null=True, verbose_name='reviewed on')),
                ('review_note', models.TextField(blank=True, help_text='What the funder asks to revise.', verbose_name='review note')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical LPJ submission',
                'verbose_name_plural': 'historical LPJ submissions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalRemainderReturn',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                ('date', models.DateField(verbose_name='date')),
                ('amount', models.DecimalField(decimal_places=0, max_digits=15, verbose_name='amount')),
                ('reference', models.CharField(help_text='The STS number for state money, the transfer reference otherwise.', max_length=100, verbose_name='reference')),
                ('notes', models.CharField(blank=True, max_length=200, verbose_name='notes')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical return of remainder',
                'verbose_name_plural': 'historical returns of remainder',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='LpjSubmission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('submitted_on', models.DateField(verbose_name='submitted on')),
                ('letter_number', models.CharField(blank=True, help_text="Left empty, the next number of the body's letter register is taken (the register names this submission as the letter's document).", max_length=100, verbose_name='cover letter number')),
                ('received_by', models.CharField(help_text="Who received it at the funder, e.g. the head of the Dinas Sosial's office.", max_length=150, verbose_name='received by')),
                ('outcome', models.CharField(choices=[('pending', 'awaiting review'), ('returned', 'returned for revision'), ('accepted', 'accepted')], default='pending', max_length=10, verbose_name='review')),
                ('decided_on', models.DateField(blank=True, null=True, verbose_name='reviewed on')),
                ('review_note', models.TextField(blank=True, help_text='What the funder asks to revise.', verbose_name='review note')),
            ],
            options={
                'verbose_name': 'LPJ submission',
                'verbose_name_plural': 'LPJ submissions',
                'ordering': ['grant_id', 'submitted_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='RemainderReturn',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('date', models.DateField(verbose_name='date')),
                ('amount', models.DecimalField(decimal_places=0, max_digits=15, verbose_name='amount')),
                ('reference', models.CharField(help_text='The STS number for state money, the transfer reference otherwise.', max_length=100, verbose_name='reference')),
                ('notes', models.CharField(blank=True, max_length=200, verbose_name='notes')),
            ],
            options={
                'verbose_name': 'return of remainder',
                'verbose_name_plural': 'returns of remainder',
                'ordering': ['grant_id', 'date', 'pk'],
            },
        ),
        migrations.AlterModelOptions(
            name='allocation',
            options={'ordering': ['grant_id', 'pk'], 'verbose_name': 'allocation', 'verbose_name_plural': 'allocations'},
        ),
        migrations.AlterModelOptions(
            name='disbursement',
            options={'ordering': ['grant_id', 'date', 'pk'], 'verbose_name': 'disbursement', 'verbose_name_plural': 'disbursements'},
        ),
        migrations.AlterModelOptions(
            name='expenditure',
            options={'ordering': ['grant_id', 'date', 'pk'], 'verbose_name': 'expenditure', 'verbose_name_plural': 'expenditures'},
        ),
        migrations.AlterModelOptions(
            name='grant',
            options={'ordering': ['-fiscal_year', 'name', 'pk'], 'verbose_name': 'grant', 'verbose_name_plural': 'grants'},
        ),
        migrations.AddField(
            model_name='expenditure',
            name='allocation',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='expenditures', to='grants.allocation', verbose_name='allocation'),
        ),
        migrations.AddField(
            model_name='grant',
            name='outcome',
            field=models.CharField(blank=True, choices=[('rejected', 'proposal rejected'), ('cancelled', 'grant cancelled')], default='', max_length=10, verbose_name='rejected or cancelled'),
        ),
        migrations.AddField(
            model_name='grant',
            name='outcome_note',
            field=models.TextField(blank=True, verbose_name='reason'),
        ),
        migrations.AddField(
            model_name='grant',
            name='outcome_on',
            field=models.DateField(blank=True, null=True, verbose_name='rejected or cancelled on'),
        ),
        migrations.AddField(
            model_name='grant',
            name='proposal_date',
            field=models.DateField(blank=True, null=True, verbose_name='proposal letter date'),
        ),
        migrations.AddField(
            model_name='grant',
            name='proposal_number',
            field=models.CharField(blank=True, max_length=100, verbose_name='proposal letter number'),
        ),
        migrations.AddField(
            model_name='grant',
            name='requested_amount',
            field=models.DecimalField(blank=True, decimal_places=0, max_digits=15, null=True, verbose_name='amount requested'),
        ),
        migrations.AddField(
            model_name='historicalexpenditure',
            name='allocation',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='grants.allocation', verbose_name='allocation'),
        ),
        migrations.AddField(
            model_name='historicalgrant',
            name='outcome',
            field=models.CharField(blank=True, choices=[('rejected', 'proposal rejected'), ('cancelled', 'grant cancelled')], default='', max_length=10, verbose_name='rejected or cancelled'),
        ),
        migrations.AddField(
            model_name='historicalgrant',
            name='outcome_note',
            field=models.TextField(blank=True, verbose_name='reason'),
        ),
        migrations.AddField(
            model_name='historicalgrant',
            name='outcome_on',
            field=models.DateField(blank=True, null=True, verbose_name='rejected or cancelled on'),
        ),
        migrations.AddField(
            model_name='historicalgrant',
            name='proposal_date',
            field=models.DateField(blank=True, null=True, verbose_name='proposal letter date'),
        ),
        migrations.AddField(
            model_name='historicalgrant',
            name='proposal_number',
            field=models.CharField(blank=True, max_length=100, verbose_name='proposal letter number'),
        ),
        migrations.AddField(
            model_name='historicalgrant',
            name='requested_amount',
            field=models.DecimalField(blank=True, decimal_places=0, max_digits=15, null=True, verbose_name='amount requested'),
        ),
        migrations.AlterField(
            model_name='disbursement',
            name='reference',
            field=models.CharField(blank=True, help_text='The SP2D number of state money, the transfer reference of other money.', max_length=100, verbose_name='reference'),
        ),
        migrations.AlterField(
            model_name='expenditure',
            name='activity',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='expenditures', to='programs.activity', verbose_name='activity'),
        ),
        migrations.AlterField(
            model_name='expenditure',
            name='grant',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='expenditures', to='grants.grant', verbose_name='grant'),
        ),
        migrations.AlterField(
            model_name='grant',
            name='amount',
            field=models.DecimalField(decimal_places=0, help_text='As approved in the agreement; it may be less than the amount requested.', max_digits=15, verbose_name='amount'),
        ),
        migrations.AlterField(
            model_name='historicaldisbursement',
            name='reference',
            field=models.CharField(blank=True, help_text='The SP2D number of state money, the transfer reference of other money.', max_length=100, verbose_name='reference'),
        ),
        migrations.AlterField(
            model_name='historicalexpenditure',
            name='activity',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programs.activity', verbose_name='activity'),
        ),
        migrations.AlterField(
            model_name='historicalexpenditure',
            name='grant',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='grants.grant', verbose_name='grant'),
        ),
        migrations.AlterField(
            model_name='historicalgrant',
            name='amount',
            field=models.DecimalField(decimal_places=0, help_text='As approved in the agreement; it may be less than the amount requested.', max_digits=15, verbose_name='amount'),
        ),
        migrations.AddConstraint(
            model_name='grant',
            constraint=lkks.models.FieldCheckConstraint(condition=models.Q(('requested_amount__gte', 0)), field='requested_amount', name='grant_requested_amount_not_negative', violation_error_message='The amount cannot be negative.'),
        ),
        migrations.AddConstraint(
            model_name='grant',
            constraint=lkks.models.FieldCheckConstraint(condition=models.Q(('requested_amount__isnull', True), ('amount__lte', models.F('requested_amount')), _connector='OR'), field='amount', name='grant_amount_within_request', violation_error_message='The amount approved cannot be more than the amount requested.'),
        ),
        migrations.AddConstraint(
            model_name='grant',
            constraint=lkks.models.FieldCheckConstraint(condition=models.Q(('outcome__in', ['', 'rejected', 'cancelled'])), field='outcome', name='grant_outcome_known', violation_error_message='Unknown outcome.'),
        ),
        migrations.AddConstraint(
            model_name='grant',
            constraint=lkks.models.FieldCheckConstraint(condition=models.Q(models.Q(('outcome', ''), ('outcome_on__isnull', True)), models.Q(models.Q(('outcome', ''), _negated=True), ('outcome_on__isnull', False)), _connector='OR'), field='outcome_on', name='grant_outcome_dated', violation_error_message='A rejection or cancellation has a date, and only they have one.'),
        ),
        migrations.AddConstraint(
            model_name='grant',
            constraint=lkks.models.FieldCheckConstraint(condition=models.Q(('outcome_on__isnull', True), ('proposal_date__isnull', True), ('outcome_on__gte', models.F('proposal_date')), _connector='OR'), field='outcome_on', name='grant_outcome_after_proposal', violation_error_message='A grant cannot be rejected or cancelled before it was proposed.'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='grant',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='agreement', to='grants.grant', verbose_name='grant'),
        ),
        migrations.AddField(
            model_name='budgetline',
            name='grant',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='budget_lines', to='grants.grant', verbose_name='grant'),
        ),
        migrations.AddField(
            model_name='expenditure',
            name='budget_line',
            field=models.ForeignKey(blank=True, help_text='The line of the agreed budget (RAB) it is spent on.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='expenditures', to='grants.budgetline', verbose_name='budget line'),
        ),
        migrations.AddField(
            model_name='historicalexpenditure',
            name='budget_line',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The line of the agreed budget (RAB) it is spent on.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='grants.budgetline', verbose_name='budget line'),
        ),
        migrations.AddField(
            model_name='historicalagreement',
            name='grant',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='grants.grant', verbose_name='grant'),
        ),
        migrations.AddField(
            model_name='historicalagreement',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalbudgetline',
            name='grant',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='grants.grant', verbose_name='grant'),
        ),
        migrations.AddField(
            model_name='historicalbudgetline',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicallpjsubmission',
            name='grant',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='grants.grant', verbose_name='grant'),
        ),
        migrations.AddField(
            model_name='historicallpjsubmission',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalremainderreturn',
            name='grant',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='grants.grant', verbose_name='grant'),
        ),
        migrations.AddField(
            model_name='historicalremainderreturn',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='lpjsubmission',
            name='grant',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lpj_submissions', to='grants.grant', verbose_name='grant'),
        ),
        migrations.AddField(
            model_name='remainderreturn',
            name='grant',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='returns', to='grants.grant', verbose_name='grant'),
        ),
        migrations.AddConstraint(
            model_name='budgetline',
            constraint=lkks.models.FieldCheckConstraint(condition=models.Q(('amount__gte', 0)), field='amount', name='budget_line_amount_not_negative', violation_error_message='The amount cannot be negative.'),
        ),
        migrations.AddConstraint(
            model_name='budgetline',
            constraint=models.UniqueConstraint(fields=('grant', 'item'), name='budget_line_item_once_per_grant', violation_error_message='This item is already in the budget.'),
        ),
        migrations.AddConstraint(
            model_name='lpjsubmission',
            constraint=lkks.models.FieldCheckConstraint(condition=models.Q(('outcome__in', ['pending', 'returned', 'accepted'])), field='outcome', name='lpj_outcome_known', violation_error_message='Unknown review outcome.'),
        ),
        migrations.AddConstraint(
            model_name='lpjsubmission',
            constraint=lkks.models.FieldCheckConstraint(condition=models.Q(models.Q(('decided_on__isnull', True), ('outcome', 'pending')), models.Q(models.Q(('outcome', 'pending'), _negated=True), ('decided_on__isnull', False)), _connector='OR'), field='decided_on', name='lpj_decision_dated', violation_error_message='A review has a date; a submission awaiting one has none.'),
        ),
        migrations.AddConstraint(
            model_name='lpjsubmission',
            constraint=lkks.models.FieldCheckConstraint(condition=models.Q(('decided_on__isnull', True), ('decided_on__gte', models.F('submitted_on')), _connector='OR'), field='decided_on', name='lpj_decided_after_submission', violation_error_message='The review cannot come before the submission.'),
        ),
        migrations.AddConstraint(
            model_name='lpjsubmission',
            constraint=lkks.models.FieldCheckConstraint(condition=models.Q(models.Q(('outcome', 'returned'), _negated=True), models.Q(('review_note', ''), _negated=True), _connector='OR'), field='review_note', name='lpj_return_has_note', violation_error_message='Say what is to be revised.'),
        ),
        migrations.AddConstraint(
            model_name='lpjsubmission',
            constraint=models.UniqueConstraint(condition=models.Q(('outcome', 'pending')), fields=('grant',), name='lpj_one_pending_per_grant', violation_error_message='An LPJ of this grant already awaits review.'),
        ),
        migrations.AddConstraint(
            model_name='lpjsubmission',
            constraint=models.UniqueConstraint(condition=models.Q(('outcome', 'accepted')), fields=('grant',), name='lpj_accepted_once_per_grant', violation_error_message='The LPJ of this grant was already accepted.'),
        ),
        migrations.AddConstraint(
            model_name='remainderreturn',
            constraint=lkks.models.FieldCheckConstraint(condition=models.Q(('amount__gte', 0)), field='amount', name='return_amount_not_negative', violation_error_message='The amount cannot be negative.'),
        ),
    ]
